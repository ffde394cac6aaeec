#!/usr/bin/env python3
"""HELD-OUT pages: written after the classifier was tuned on ../pages and
never used to tune it; their first score is the honest one.

Our own gold set for the strip pass, written by tools/strip_gold_pages.py
(NAME.txt, NAME.gold.txt and NAME.labels.tsv for each page below).

The pages were written by hand for libfix (no text copied from any site),
in the style of Chinese news and content-farm pages, with the boilerplate
families of the strip issue in varied forms, some not in our keyword list,
and content lines that look like boilerplate (short headings, list items,
dialogue, sentences that mention 来源 or 作者). The line format is
described in tools/strip_gold_pages.py.
Usage: python3 make_pages.py   (writes into the directory of this script)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tools"))
from strip_gold_pages import write_pages  # noqa: E402

PAGES = {}

PAGES["h01_district_notice"] = """
B|menu|首页 政务公开 政务服务 政民互动 走进新区
B|breadcrumb|当前位置:首页 > 政务公开 > 公示公告
C|关于2024年第一批老旧小区改造项目的公示
B|byline|来源:区住房和城乡建设局 发布时间:2024-02-26 16:30
C|根据《关于推进城镇老旧小区改造工作的实施意见》,经街道申报、实地踏勘和专家评审,拟将以下小区列入2024年第一批老旧小区改造项目,现予以公示。
C|1.东风路12号院,建于1992年,共6栋楼;
C|2.光明里小区,建于1995年,共9栋楼;
C|3.纺织厂家属院,建于1988年,共4栋楼。
C|公示期为2024年2月27日至3月4日。如有异议,请在公示期内以书面形式向区住房和城乡建设局反映。
C|联系电话:0000-12345678
B|widget|【我要纠错】 【打印】 【关闭】
B|disclaimer|主办单位:某某新区管理委员会 网站标识码:0000000000 某ICP备00000000号
"""

PAGES["h02_movie_blog"] = """
B|navigation|影评 > 华语电影
C|《山海之间》:一部关于回家的电影
B|byline|发表于 2023-10-03 | 分类:影评 | 阅读 2847
-
C|这部电影讲的是一个在城市打拼多年的年轻人,因为父亲生病回到海边小镇,在照顾父亲的日子里重新认识了家乡和自己。
-
C|导演没有用激烈的冲突推动故事,而是用大量安静的长镜头,拍潮水、渔船和清晨的菜市场。有观众觉得节奏太慢,我却觉得,这种慢正是回家的感觉。
-
C|父子之间的对话很少,却处处是情感。父亲把儿子小时候的奖状一直压在玻璃板下面,这个细节让我眼眶一热。
-
C|如果你也很久没有回家了,不妨去看看这部电影。
-
B|widget|标签:华语电影 家庭 剧情
B|widget|« 上一篇:《长夜》观后感  下一篇:国庆档电影盘点 »
-
B|widget|发表评论
B|widget|昵称(必填)
"""

PAGES["h03_stock_flash"] = """
B|menu|首页 行情 新股 基金 债券 外汇
C|A股三大指数收涨 半导体板块表现活跃
B|byline|2024-03-08 15:05:12 来源:证券时报网 作者:吴倩
C|3月8日,A股三大指数全天震荡走高。截至收盘,上证指数涨0.62%,深证成指涨0.94%,创业板指涨1.21%。
C|盘面上,半导体、消费电子板块涨幅居前,多只个股涨停;银行、煤炭板块小幅回调。
C|沪深两市成交额合计约9200亿元,较上一交易日有所放大。北向资金全天净买入超过40亿元。
C|分析人士认为,近期政策面持续释放积极信号,市场信心逐步修复,但短期仍需关注成交量能否持续放大。
B|disclaimer|风险提示:以上内容仅供参考,不构成投资建议,据此操作风险自担。
B|related-list|相关阅读
B|related-list|北向资金连续三日净流入
B|related-list|半导体板块估值处于历史低位
"""

PAGES["h04_xinhua_photo"] = """
B|navigation|新华网 > 图片 > 正文
-
C|春耕时节农事忙
-
B|byline|2024-03-20 10:12:33 来源: 新华网
-
C|3月19日,在江西省泰和县的一处农田里,农民驾驶农机进行春耕作业。
-
B|caption|图为农民在田间驾驶拖拉机翻耕土地。新华社记者 某某 摄
-
C|春分将至,各地农民抢抓农时,田间地头一派繁忙景象。今年,当地推广使用智能农机,翻耕、播种效率大大提高。
-
B|caption|图为无人机在农田上空进行植保作业。新华社发(某某 摄)
-
B|byline|【责任编辑:李楠】
B|widget|【纠错】
"""

PAGES["h05_farm_multi"] = """
B|breadcrumb|当前位置:范文网 > 演讲稿 > 国旗下讲话
C|国旗下讲话稿:珍惜时间(精选3篇)
B|promo-intro|在日常生活或是工作学习中,我们都不可避免地要接触到讲话稿。下面是小编整理的国旗下讲话稿,欢迎阅读与收藏。
C|国旗下讲话稿:珍惜时间 篇1
C|老师们、同学们:
C|大家早上好!今天我国旗下讲话的题目是《珍惜时间》。
C|时间是最公平的,它给每个人的都是一天二十四小时。有的人把时间用在学习和锻炼上,收获了知识和健康;有的人却在发呆和游戏中浪费了时间。
C|同学们,让我们从现在做起,从每一分钟做起,做时间的主人!
C|我的讲话完毕,谢谢大家!
C|国旗下讲话稿:珍惜时间 篇2
C|尊敬的老师,亲爱的同学们:
C|古人说:“一寸光阴一寸金,寸金难买寸光阴。”时间一去不复返,我们要学会规划时间,合理安排学习和休息。
C|谢谢大家!
B|related-list|【国旗下讲话稿:珍惜时间(精选3篇)】相关文章:
B|related-list|1.国旗下讲话稿:诚信
B|related-list|2.国旗下讲话稿:感恩
B|footer|本文链接:https://www.example-fanwen.com/yjg/558.html
"""

PAGES["h06_hk_news"] = """
B|menu|港聞 兩岸 國際 財經 體育 娛樂
C|港鐵新線下月通車 沿線居民出行時間大減
B|byline|2023年12月05日 18:22 更新:2023年12月05日 20:15
-
C|港鐵公司今日宣佈,新線將於下月中旬正式通車。屆時,沿線居民前往市區的時間可縮短約二十分鐘。
-
C|港鐵表示,新線已完成多輪試運行,各項系統運作正常。通車初期,列車班次將為每五分鐘一班。
-
C|有居民表示,過去每天上班要轉兩次巴士,新線開通後生活方便多了。
-
B|widget|分享: Facebook WhatsApp 微博
B|related-list|相關新聞
B|related-list|九龍東新發展區規劃出爐
"""

PAGES["h07_zhidao"] = """
B|menu|首页 问题 话题 专栏 我的
C|为什么冬天手脚容易冰凉?
B|byline|匿名用户 | 浏览 3520 次
C|一到冬天手脚就特别凉,穿很多也暖和不过来,这是怎么回事?
B|byline|推荐答案 2023-12-12 09:18
C|手脚冰凉多与血液循环有关。天气寒冷时,人体为了保持核心体温,会减少流向四肢末端的血液,因此手脚容易发凉。
C|平时可以多运动,比如快走、慢跑、跳绳,促进血液循环;睡前用温水泡脚,也能起到一定作用。
C|如果手脚冰凉同时伴有麻木、疼痛或皮肤颜色改变,建议及时就医检查。
B|widget|赞同 128 | 评论 12
B|related-list|其他类似问题
B|related-list|冬天怎么泡脚最好?
"""

PAGES["h08_product_review"] = """
B|navigation|首页 > 数码 > 评测
C|一款千元降噪耳机值不值得买?上手体验告诉你
B|byline|作者:数码小王 2024-01-18 浏览(8931)
C|最近入手了一款售价千元左右的降噪耳机,用了两个星期,说说真实感受。
C|先说降噪。在地铁和飞机上,低频噪音基本能被压下去,人声会有一些残留,整体表现在同价位里算是不错的。
C|再说音质。耳机的低频比较饱满,听流行音乐很有氛围,但高频稍显克制,喜欢古典乐的朋友可能会觉得不够通透。
C|续航方面,开启降噪后大约能用30个小时,我基本一周充一次电。
C|总结:如果你通勤时间长、预算在千元左右,这款耳机值得考虑。
B|widget|点赞(56) 收藏(23)
B|widget|本文标签: 耳机 降噪 评测
B|disclaimer|本文为作者原创,转载请注明出处。
"""


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    write_pages(PAGES, here)


if __name__ == "__main__":
    main()

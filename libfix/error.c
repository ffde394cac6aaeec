/* error.c — status names and the error-filling helpers. */
#include "internal.h"

#include <stdio.h>

static const char *const status_names[] = {
    "ok", "nomem", "argument", "invalid-input", "unsupported", "data", "limit", "internal",
};

const char *lf_status_name(lf_status status)
{
    if ((unsigned)status >= sizeof status_names / sizeof status_names[0])
        return "unknown";
    return status_names[status];
}

lf_status lf_fail(lf_error *err, lf_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

lf_status lf_nomem(lf_error *err)
{
    return lf_fail(err, LF_ERR_NOMEM, "out of memory");
}

const char *lf_version(void)
{
    return LIBFIX_VERSION_STRING;
}

// libpq, PostgreSQL's own client library (Debian: libpq-dev). Nothing but the sync code uses it.
#ifndef CASELOAD_CPOSTGRES_SHIM_H
#define CASELOAD_CPOSTGRES_SHIM_H
#include <postgresql/libpq-fe.h>
#endif

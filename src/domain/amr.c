/* AMR collection figures (see amr.h). */
#include "domain/amr.h"

int64_t amr_pct_hundredths(int64_t part, int64_t whole)
{
    if (whole <= 0 || part < 0)
        return -1;
    return (part * 20000 + whole) / (2 * whole);
}

int64_t amr_received_counted(int64_t received, int64_t scheduled)
{
    if (received < 0)
        return 0;
    return received < scheduled ? received : scheduled;
}

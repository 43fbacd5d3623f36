/* QR codes as SVG (see qr_svg.h). */
#include "formats/qr_svg.h"

#include <string.h>
#include <zint.h>

int qr_svg(const char *data, buf *out, pc_err *e)
{
    struct zint_symbol *s = ZBarcode_Create();
    if (!s)
        return pc_errf(e, PC_EINTERNAL, "qr: out of memory");
    s->symbology = BARCODE_QRCODE;
    s->input_mode = DATA_MODE;
    s->option_1 = 2; /* error correction M, as on the printed invoice */
    s->show_hrt = 0;
    int rc = ZBarcode_Encode_and_Buffer_Vector(s, (const unsigned char *)data, (int)strlen(data), 0);
    if (rc >= ZINT_ERROR || !s->vector) {
        pc_errf(e, PC_EINVAL, "qr: cannot encode the payload: %s", s->errtxt);
        ZBarcode_Delete(s);
        return -1;
    }
    /* a quiet zone of 4 modules lets scanners find the symbol (zint draws none around a QR) */
    double q = s->width > 0 ? 4 * s->vector->width / s->width : 0;
    double w = s->vector->width + 2 * q, h = s->vector->height + 2 * q;
    buf_printf(out,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
               "shape-rendering=\"crispEdges\" role=\"img\">"
               "<rect width=\"%g\" height=\"%g\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
               w, h, w * 4, h * 4, w, h);
    for (struct zint_vector_rect *r = s->vector->rectangles; r; r = r->next) {
        if (r->colour != -1 && r->colour != 7)
            continue; /* foreground modules only */
        buf_printf(out, "M%g %gh%gv%gh%gz", r->x + q, r->y + q, r->width, r->height, -r->width);
    }
    buf_puts(out, "\"/></svg>\n");
    ZBarcode_Delete(s);
    return 0;
}

/* Barcodes through zint's vector output (see barcode.h). */
#include "formats/barcode.h"

#include <string.h>
#include <zint.h>

int barcode_draw(cairo_t *cr, barcode_kind kind, const char *data, double x, double y, double width, double height,
                 pc_err *e)
{
    struct zint_symbol *s = ZBarcode_Create();
    if (!s)
        return pc_errf(e, PC_EINTERNAL, "barcode: out of memory");
    s->symbology = kind == BARCODE_KIND_QR ? BARCODE_QRCODE : BARCODE_CODE128;
    s->show_hrt = 0;
    s->input_mode = kind == BARCODE_KIND_QR ? DATA_MODE : UNICODE_MODE;
    if (kind == BARCODE_KIND_QR)
        s->option_1 = 2; /* error correction M */
    int rc = ZBarcode_Encode_and_Buffer_Vector(s, (const unsigned char *)data, (int)strlen(data), 0);
    if (rc >= ZINT_ERROR || !s->vector) {
        pc_errf(e, PC_EINVAL, "barcode: cannot encode '%s': %s", data, s->errtxt);
        ZBarcode_Delete(s);
        return -1;
    }
    double sx = width / s->vector->width;
    double sy = kind == BARCODE_KIND_QR ? sx : height / s->vector->height;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, width, kind == BARCODE_KIND_QR ? s->vector->height * sy : height);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (struct zint_vector_rect *r = s->vector->rectangles; r; r = r->next) {
        if (r->colour != -1 && r->colour != 7)
            continue; /* only foreground (black) modules */
        cairo_rectangle(cr, x + r->x * sx, y + r->y * sy, r->width * sx, r->height * sy);
    }
    cairo_fill(cr);
    cairo_restore(cr);
    ZBarcode_Delete(s);
    return 0;
}

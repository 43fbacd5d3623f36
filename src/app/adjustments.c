/* adjustments.c: being written (placeholder so the tree builds). */
typedef int pc_placeholder_adjustments_c;

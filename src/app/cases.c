/* cases.c: being written (placeholder so the tree builds). */
typedef int pc_placeholder_cases_c;

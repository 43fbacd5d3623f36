/* adjust_repo.c: being written (placeholder so the tree builds). */
typedef int pc_placeholder_adjust_repo_c;

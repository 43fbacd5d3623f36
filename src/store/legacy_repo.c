/* legacy_repo.c: being written (placeholder so the tree builds). */
typedef int pc_placeholder_legacy_repo_c;

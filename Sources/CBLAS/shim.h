#include <cblas.h>
/* OpenBLAS extensions (declared in cblas.h of OpenBLAS, repeated for other providers' headers). */
char *openblas_get_corename(void);
char *openblas_get_config(void);
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

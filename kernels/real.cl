// `real`, the element type of every matrix and real scalar: float, or double when the host
// builds with -D PRECISION=64 (only on devices with cl_khr_fp64). As CLBlast does with its
// common header, the host puts this file before each kernel file it compiles.

#ifndef PRECISION
#define PRECISION 32
#endif

#if PRECISION == 64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
#else
typedef float real;
#endif

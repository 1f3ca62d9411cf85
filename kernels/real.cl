// `real`, the element type of every matrix and real scalar: float, or double when the host
// builds with -D PRECISION=64 (only on devices with cl_khr_fp64), and its vectors real2 ..
// real16. As CLBlast does with its common header, the host puts this file before each kernel
// file it compiles.

#ifndef PRECISION
#define PRECISION 32
#endif

#if PRECISION == 64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
typedef double2 real2;
typedef double4 real4;
typedef double8 real8;
typedef double16 real16;
#else
typedef float real;
typedef float2 real2;
typedef float4 real4;
typedef float8 real8;
typedef float16 real16;
#endif

// C = alpha * op(A) * op(B) + beta * C, row-major, in real (float or double: kernels/real.cl).
//   op(A): (M, K)   op(B): (K, N)   C: (M, N)
//   A is stored (M, K), or (K, M) when TRANS_A; B is stored (K, N), or (N, K) when TRANS_B.
// Tiled: each work-group computes a TS x TS tile of C, staging TS x TS tiles of op(A) and
// op(B) in local memory, so each global element is loaded once per tile, not once per output.
// Each work-item computes WPT outputs of one column of the tile (rows ti, ti + TS/WPT, ...),
// keeping WPT accumulators in registers and reusing each B value WPT times.
// Set by the host at build time: TS (tile edge) and WPT (a divisor of TS), with
// TS * TS / WPT <= the device's max work-group size. Local memory: TS * (2 TS + 1) reals, at
// TS = 32 8.3 KB of float or 16.6 KB of double, within OpenCL 1.2's 32 KB minimum.
// Global size: (ceil(N / TS) * TS, ceil(M / TS) * TS / WPT); local size: (TS, TS / WPT).
// Edges are padded with zeros in local memory and masked on the store, so any M, N, K works.

#ifndef TS
#define TS 32
#endif
#ifndef WPT
#define WPT 8
#endif
#define RTS (TS / WPT)

real load_a(__global const real* A, int trans, int M, int K, int i, int p) {
    if (i >= M || p >= K) return 0;
    return trans ? A[p * M + i] : A[i * K + p];
}

real load_b(__global const real* B, int trans, int K, int N, int p, int j) {
    if (p >= K || j >= N) return 0;
    return trans ? B[j * K + p] : B[p * N + j];
}

__kernel void gemm(const int M, const int N, const int K, const int transA, const int transB,
                   const real alpha, __global const real* A, __global const real* B,
                   const real beta, __global real* C) {
    const int tj = get_local_id(0);
    const int ti = get_local_id(1);
    const int j = get_group_id(0) * TS + tj;
    const int i0 = get_group_id(1) * TS;
    __local real tileA[TS][TS];
    __local real tileB[TS][TS + 1];   // +1: no bank conflicts on column reads
    real acc[WPT];
    for (int w = 0; w < WPT; w++) acc[w] = 0;
    for (int p0 = 0; p0 < K; p0 += TS) {
        for (int w = 0; w < WPT; w++) {
            const int r = ti + w * RTS;
            tileA[r][tj] = load_a(A, transA, M, K, i0 + r, p0 + tj);
            tileB[r][tj] = load_b(B, transB, K, N, p0 + r, j);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TS; p++) {
            const real b = tileB[p][tj];
            for (int w = 0; w < WPT; w++) acc[w] += tileA[ti + w * RTS][p] * b;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (j < N) {
        for (int w = 0; w < WPT; w++) {
            const int i = i0 + ti + w * RTS;
            if (i < M) {
                const int c = i * N + j;
                C[c] = alpha * acc[w] + (beta == 0 ? 0 : beta * C[c]);
            }
        }
    }
}

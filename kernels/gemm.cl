// C = alpha * op(A) * op(B) + beta * C, row-major, in real (float or double: kernels/real.cl);
// each kernel must agree with CpuBackend.gemm.
//   op(A): (M, K)   op(B): (K, N)   C: (M, N)
//   A is stored (M, K), or (K, M) when transposed; B is stored (K, N), or (N, K) when transposed.
// Four kernels, gemm_nn, gemm_tn, gemm_nt and gemm_tt (t: that operand transposed), are one
// body compiled four times, so each variant's index arithmetic is known at compile time.
//
// Set by the host at build time (GemmConfig, tuned per device by `handnet tune`):
//   MWG, NWG  the (MWG, NWG) tile of C one work-group computes
//   KWG       the depth of the k tile staged and accumulated between barriers
//   MDIMC, NDIMC  work-items per group along m (dimension 1) and along n (dimension 0)
//   VW        vector width of op(B) loads, accumulators and C stores: 1, 2, 4, 8 or 16
//   SA, SB    1: stage op(A)'s (MWG, KWG) / op(B)'s (KWG, NWG) tile in local memory
//   UNROLL    k steps unrolled in the accumulate loop, a divisor of KWG
// Global size: (ceil(N / NWG) * NDIMC, ceil(M / MWG) * MDIMC); local size: (NDIMC, MDIMC).
// Any M, N, K >= 0: partial tiles read zeros past the edges and mask their stores.

#ifndef MWG
#define MWG 32
#endif
#ifndef NWG
#define NWG 32
#endif
#ifndef KWG
#define KWG 16
#endif
#ifndef MDIMC
#define MDIMC 8
#endif
#ifndef NDIMC
#define NDIMC 8
#endif
#ifndef VW
#define VW 4
#endif
#ifndef SA
#define SA 0
#endif
#ifndef SB
#define SB 0
#endif
#ifndef UNROLL
#define UNROLL 4
#endif

// Derived sizes.
#define WPTM (MWG / MDIMC)     // rows of C per work-item: i = m0 + w * MDIMC + tm
#define WPTN (NWG / NDIMC)     // columns of C per work-item, in WPTN / VW vectors
#define NVW (WPTN / VW)        // vectors per row: vector v covers j = n0 + (v * NDIMC + tn) * VW + [0, VW)
#define WGS (MDIMC * NDIMC)    // work-items per group

// realV: VW reals; LOADV/STOREV move one between a real pointer and a vector.
#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
#if VW == 1
typedef real realV;
#define LOADV(p) (*(p))
#define STOREV(v, p) (*(p) = (v))
#else
typedef XCAT(real, VW) realV;
#define LOADV(p) XCAT(vload, VW)(0, p)
#define STOREV(v, p) XCAT(vstore, VW)(v, 0, p)
#endif

// Stage: the group's work-items together copy the (MWG, KWG) tile of op(A) at (m0, p0) into
// aTile[p][i], and the (KWG, NWG) tile of op(B) at (p0, n0) into bTile[p][j], zeros past the
// edges; consecutive work-items read consecutive addresses of the stored matrix.
void stage_a(__global const real* A, const int transA, const int M, const int K, const int m0, const int p0,
             __local real* aTile) {
    for (int e = get_local_id(1) * NDIMC + get_local_id(0); e < MWG * KWG; e += WGS) {
        const int i = transA ? e % MWG : e / KWG;
        const int p = transA ? e / MWG : e % KWG;
        const int gi = m0 + i, gp = p0 + p;
        aTile[p * MWG + i] = gi < M && gp < K ? (transA ? A[gp * M + gi] : A[gi * K + gp]) : 0;
    }
}

void stage_b(__global const real* B, const int transB, const int K, const int N, const int p0, const int n0,
             __local real* bTile) {
    for (int e = get_local_id(1) * NDIMC + get_local_id(0); e < KWG * NWG; e += WGS) {
        const int p = transB ? e % KWG : e / NWG;
        const int j = transB ? e / KWG : e % NWG;
        const int gp = p0 + p, gj = n0 + j;
        bTile[p * NWG + j] = gp < K && gj < N ? (transB ? B[gj * K + gp] : B[gp * N + gj]) : 0;
    }
}

// op(A)[i, p] (tile-relative i, p): from the staged tile, or from A, zero past the edges when edge.
real a_at(__global const real* A, __local const real* aTile, const int transA, const int edge,
          const int M, const int K, const int m0, const int p0, const int i, const int p) {
#if SA
    return aTile[p * MWG + i];
#else
    const int gi = m0 + i, gp = p0 + p;
    if (edge && (gi >= M || gp >= K)) return 0;
    return transA ? A[gp * M + gi] : A[gi * K + gp];
#endif
}

// op(B)[p, j .. j + VW) (tile-relative p, j): a vector load from the staged tile or from B when
// B's rows hold it, else VW strided reads; zeros past the edges when edge.
realV b_at(__global const real* B, __local const real* bTile, const int transB, const int edge,
           const int K, const int N, const int p0, const int n0, const int p, const int j) {
#if SB
    return LOADV(bTile + p * NWG + j);
#else
    const int gp = p0 + p, gj = n0 + j;
    if (!transB && !edge) return LOADV(B + gp * N + gj);
    real v[VW];
    for (int x = 0; x < VW; x++) {
        v[x] = edge && (gp >= K || gj + x >= N) ? 0 : transB ? B[(gj + x) * K + gp] : B[gp * N + gj + x];
    }
    return LOADV(v);
#endif
}

// Accumulate one k step p of the tile at p0: acc[w][v] += op(A)[i_w, p] * op(B)[p, j_v], the
// products of WPTM values of op(A) and NVW vectors of op(B) held in registers; edge: check reads.
#define STEP(p) {                                                                                \
        realV b[NVW];                                                                            \
        _Pragma("unroll") for (int v = 0; v < NVW; v++)                                          \
            b[v] = b_at(B, bTile, transB, edge, K, N, p0, n0, p, (v * NDIMC + tn) * VW);         \
        _Pragma("unroll") for (int w = 0; w < WPTM; w++) {                                       \
            const real a = a_at(A, aTile, transA, edge, M, K, m0, p0, w * MDIMC + tm, p);        \
            _Pragma("unroll") for (int v = 0; v < NVW; v++) acc[w][v] += a * b[v];               \
        }                                                                                        \
    }

// The body of all four kernels; transA, transB are compile-time constants in each.
void gemm_body(const int transA, const int transB, const int M, const int N, const int K, const real alpha,
               __global const real* A, __global const real* B, const real beta, __global real* C,
               __local real* aTile, __local real* bTile) {
    const int tn = get_local_id(0), tm = get_local_id(1);
    const int n0 = get_group_id(0) * NWG, m0 = get_group_id(1) * MWG;
    // partial: this group's tile reaches past C, so unstaged reads check their indices.
    const int partial = m0 + MWG > M || n0 + NWG > N;
    realV acc[WPTM][NVW];
    for (int w = 0; w < WPTM; w++) {
        for (int v = 0; v < NVW; v++) acc[w][v] = 0;
    }
    for (int p0 = 0; p0 < K; p0 += KWG) {
#if SA
        stage_a(A, transA, M, K, m0, p0, aTile);
#endif
#if SB
        stage_b(B, transB, K, N, p0, n0, bTile);
#endif
#if SA || SB
        barrier(CLK_LOCAL_MEM_FENCE);
#endif
        if (!partial && p0 + KWG <= K) {
            // a whole tile inside C: reads unchecked, UNROLL steps at a time
            const int edge = 0;
            for (int p = 0; p < KWG; p += UNROLL) {
                _Pragma("unroll") for (int u = 0; u < UNROLL; u++) STEP(p + u)
            }
        } else {
            // a tile at an edge of C or the last, partial k tile: reads checked
            const int edge = 1;
            const int kt = min(KWG, K - p0);
            for (int p = 0; p < kt; p++) STEP(p)
        }
#if SA || SB
        barrier(CLK_LOCAL_MEM_FENCE);
#endif
    }
    // Masked store: C = alpha * acc + beta * C inside C; with beta = 0 C is not read (it may hold NaN).
    for (int w = 0; w < WPTM; w++) {
        const int i = m0 + w * MDIMC + tm;
        if (i >= M) continue;
        for (int v = 0; v < NVW; v++) {
            const int j = n0 + (v * NDIMC + tn) * VW;
            __global real* c = C + i * N + j;
            if (j + VW <= N) {
                STOREV(beta == 0 ? alpha * acc[w][v] : alpha * acc[w][v] + beta * LOADV(c), c);
            } else {
                real out[VW];
                STOREV(acc[w][v], out);
                for (int x = 0; j + x < N; x++) c[x] = alpha * out[x] + (beta == 0 ? 0 : beta * c[x]);
            }
        }
    }
}

// The tiles exist only when staged (an unused __local array still takes local memory).
#if SA
#define A_TILE __local real aTile[KWG * MWG];
#else
#define A_TILE __local real* aTile = 0;
#endif
#if SB
#define B_TILE __local real bTile[KWG * NWG];
#else
#define B_TILE __local real* bTile = 0;
#endif

// One kernel per transposition, each agreeing with CpuBackend.gemm(transA, transB, ...).
#define GEMM_KERNEL(name, transA, transB)                                                          \
    __kernel __attribute__((reqd_work_group_size(NDIMC, MDIMC, 1)))                                \
    void name(const int M, const int N, const int K, const real alpha, __global const real* A,     \
              __global const real* B, const real beta, __global real* C) {                         \
        A_TILE                                                                                     \
        B_TILE                                                                                     \
        gemm_body(transA, transB, M, N, K, alpha, A, B, beta, C, aTile, bTile);                    \
    }

GEMM_KERNEL(gemm_nn, 0, 0)
GEMM_KERNEL(gemm_tn, 1, 0)
GEMM_KERNEL(gemm_nt, 0, 1)
GEMM_KERNEL(gemm_tt, 1, 1)

// Losses, reduced by one work-group and added into losses[at], a row that stays on the device
// (a column per training step). WG (set by the host at build time) is the work-group size, a
// power of two; the group reduces in local memory by halving. Each kernel names the CpuBackend method it must agree with.

#ifndef WG
#define WG 256
#endif

// FLT_MIN in both precisions (log of it is about -87.3), so float64 computes the same clamped
// losses as the float64 CPU backend.
#define MIN_PROBABILITY ((real) FLT_MIN)

// Tree sum of scratch[0..WG) into scratch[0]; every work-item must call it.
void reduce_sum(__local real* scratch) {
    const int l = get_local_id(0);
    for (int s = WG / 2; s > 0; s >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (l < s) scratch[l] += scratch[l + s];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

// log(max(q, FLT_MIN)): a probability that underflowed to 0 costs about 87.3 nats, not infinity.
// NaN stays NaN, as Java's Math.max keeps it (OpenCL's max would return FLT_MIN and hide it).
real clamped_log(const real q) {
    return log(q < MIN_PROBABILITY ? MIN_PROBABILITY : q);
}

// *total += scale * sum; called by every work-item of the one work-group, sum being its own.
void add_to_total(const real sum, const real scale, __local real* scratch, __global real* total) {
    scratch[get_local_id(0)] = sum;
    reduce_sum(scratch);
    if (get_local_id(0) == 0) total[0] += scale * scratch[0];
}

// Losses: one work-group of WG items strides over the n elements and adds scale * the sum of
// the per-element terms to losses[at]: an epoch's steps each add into their own column.

// CpuBackend.mseLoss: losses[at] += scale * sum (y - t)^2, scale = 1 / 2m.
__kernel void squared_error_total(const int n, const real scale, __global const real* y, __global const real* t,
                                  __global real* losses, const int at) {
    __local real scratch[WG];
    real sum = 0;
    for (int i = get_local_id(0); i < n; i += WG) {
        const real e = y[i] - t[i];
        sum += e * e;
    }
    add_to_total(sum, scale, scratch, losses + at);
}

// CpuBackend.crossEntropyLoss: losses[at] += scale * sum -t log(max(p, FLT_MIN)), scale = 1 / m.
__kernel void cross_entropy_total(const int n, const real scale, __global const real* p, __global const real* t,
                                  __global real* losses, const int at) {
    __local real scratch[WG];
    real sum = 0;
    for (int i = get_local_id(0); i < n; i += WG) {
        if (t[i] != 0) sum -= t[i] * clamped_log(p[i]);
    }
    add_to_total(sum, scale, scratch, losses + at);
}

// CpuBackend.binaryCrossEntropyLoss: losses[at] += scale * sum -[t log p + (1 - t) log(1 - p)], both
// logs' arguments clamped below at FLT_MIN (1 - p is exact for p >= 0.5), scale = 1 / m.
__kernel void binary_cross_entropy_total(const int n, const real scale, __global const real* p,
                                         __global const real* t, __global real* losses, const int at) {
    __local real scratch[WG];
    real sum = 0;
    for (int i = get_local_id(0); i < n; i += WG) {
        sum -= t[i] * clamped_log(p[i]) + (1 - t[i]) * clamped_log(1 - p[i]);
    }
    add_to_total(sum, scale, scratch, losses + at);
}

// CpuBackend.softmaxCrossEntropy, a softmax + cross-entropy head in one pass: for each row,
// p = softmax(z), losses[at] += -(1 / m) sum t log(max(p, FLT_MIN)), dZ = (p - t) / m. One work-group;
// each work-item takes whole rows (a head has few columns). p may be z.
__kernel void softmax_cross_entropy(const int rows, const int cols, __global const real* z,
                                    __global const real* t, __global real* p, __global real* dZ,
                                    __global real* losses, const int at) {
    __local real scratch[WG];
    real loss = 0;
    for (int r = get_local_id(0); r < rows; r += WG) {
        const int row = r * cols;
        real m = -INFINITY;
        for (int j = 0; j < cols; j++) m = max(m, z[row + j]);
        real sum = 0;
        for (int j = 0; j < cols; j++) sum += exp(z[row + j] - m);
        for (int j = 0; j < cols; j++) {
            const int i = row + j;
            const real pi = exp(z[i] - m) / sum;
            if (t[i] != 0) loss -= t[i] * clamped_log(pi);
            p[i] = pi;
            dZ[i] = (pi - t[i]) / rows;
        }
    }
    add_to_total(loss, (real) 1 / rows, scratch, losses + at);
}

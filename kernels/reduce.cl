// Work-group reductions. WG (set by the host at build time) is the work-group size, a power
// of two; each group reduces in local memory by halving. Losses: groups reduce slices of the
// elements into partial sums, which the host adds in double. Row ops (softmax, argmax,
// count-correct): one group per row, reducing across the row's columns.

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

// out[group id] = the sum of every work-item's sum, tree-added in scratch; every work-item must call it.
void write_group_sum(const real sum, __local real* scratch, __global real* out) {
    scratch[get_local_id(0)] = sum;
    reduce_sum(scratch);
    if (get_local_id(0) == 0) out[get_group_id(0)] = scratch[0];
}

// log(max(q, FLT_MIN)): a probability that underflowed to 0 costs about 87.3 nats, not infinity.
real clamped_log(const real q) {
    return log(max(q, MIN_PROBABILITY));
}

// Tree max of scratch[0..WG) into scratch[0]; every work-item must call it.
void reduce_max(__local real* scratch) {
    const int l = get_local_id(0);
    for (int s = WG / 2; s > 0; s >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (l < s) scratch[l] = max(scratch[l], scratch[l + s]);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

// partial[g] = sum over this group's elements of (y - t)^2; grid-stride over n.
__kernel void squared_error_partials(const int n, __global const real* y, __global const real* t,
                                     __global real* partial) {
    __local real scratch[WG];
    real sum = 0;
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        const real e = y[i] - t[i];
        sum += e * e;
    }
    write_group_sum(sum, scratch, partial);
}

// partial[g] = sum over this group's elements of -t * log(max(p, FLT_MIN)); grid-stride over n.
__kernel void cross_entropy_partials(const int n, __global const real* p, __global const real* t,
                                     __global real* partial) {
    __local real scratch[WG];
    real sum = 0;
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        if (t[i] != 0) sum -= t[i] * clamped_log(p[i]);
    }
    write_group_sum(sum, scratch, partial);
}

// partial[g] = sum over this group's elements of -[t log p + (1 - t) log(1 - p)], both logs'
// arguments clamped below at FLT_MIN (1 - p is exact for p >= 0.5); grid-stride over n.
__kernel void binary_cross_entropy_partials(const int n, __global const real* p, __global const real* t,
                                            __global real* partial) {
    __local real scratch[WG];
    real sum = 0;
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        sum -= t[i] * clamped_log(p[i]) + (1 - t[i]) * clamped_log(1 - p[i]);
    }
    write_group_sum(sum, scratch, partial);
}

// out[j] = sum_r x[r, j]; one work-group per column j, its work-items striding over rows.
__kernel void column_sums(const int rows, const int cols, __global const real* x, __global real* out) {
    __local real scratch[WG];
    const int j = get_group_id(0);
    real sum = 0;
    for (int r = get_local_id(0); r < rows; r += WG) sum += x[r * cols + j];
    write_group_sum(sum, scratch, out);
}

// Index of the largest x[row, :] (the first on ties): pairs (value, index) reduced together.
int row_argmax(__global const real* x, const int row, const int cols,
                      __local real* value, __local int* index) {
    const int l = get_local_id(0);
    real best = -INFINITY;
    int at = cols;
    for (int j = l; j < cols; j += WG) {
        const real v = x[row * cols + j];
        if (v > best || at == cols) { best = v; at = j; }
    }
    value[l] = best;
    index[l] = at;
    for (int s = WG / 2; s > 0; s >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (l < s) {
            const real v = value[l + s];
            const int k = index[l + s];
            if (v > value[l] || (v == value[l] && k < index[l])) { value[l] = v; index[l] = k; }
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    const int result = index[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return result;
}

// out[r, :] = exp(z[r, :] - max) / sum(exp(z[r, :] - max)); out may be z.
__kernel void softmax_rows(const int cols, __global const real* z, __global real* out) {
    __local real scratch[WG];
    const int row = get_group_id(0);
    const int l = get_local_id(0);
    real m = -INFINITY;
    for (int j = l; j < cols; j += WG) m = max(m, z[row * cols + j]);
    scratch[l] = m;
    reduce_max(scratch);
    m = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    real sum = 0;
    for (int j = l; j < cols; j += WG) sum += exp(z[row * cols + j] - m);
    scratch[l] = sum;
    reduce_sum(scratch);
    sum = scratch[0];
    for (int j = l; j < cols; j += WG) out[row * cols + j] = exp(z[row * cols + j] - m) / sum;
}

__kernel void argmax_rows(const int cols, __global const real* x, __global int* out) {
    __local real value[WG];
    __local int index[WG];
    const int a = row_argmax(x, get_group_id(0), cols, value, index);
    if (get_local_id(0) == 0) out[get_group_id(0)] = a;
}

// *correct += 1 for each row where argmax(scores) == argmax(targets)
__kernel void count_correct(const int cols, __global const real* scores, __global const real* targets,
                            __global int* correct) {
    __local real value[WG];
    __local int index[WG];
    const int row = get_group_id(0);
    const int s = row_argmax(scores, row, cols, value, index);
    const int t = row_argmax(targets, row, cols, value, index);
    if (get_local_id(0) == 0 && s == t) atomic_inc(correct);
}

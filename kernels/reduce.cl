// Work-group reductions. WG (set by the host at build time) is the work-group size, a power
// of two. Each group reduces its slice in local memory by halving; partial results go to
// global memory and the host adds the few partials in double.

#ifndef WG
#define WG 256
#endif

#define MIN_PROBABILITY 1.17549435e-38f   /* FLT_MIN: log of it is about -87.3 */

// Tree sum of scratch[0..WG) into scratch[0]; every work-item must call it.
inline void reduce_sum(__local float* scratch) {
    const int l = get_local_id(0);
    for (int s = WG / 2; s > 0; s >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (l < s) scratch[l] += scratch[l + s];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

// partial[g] = sum over this group's elements of (y - t)^2; grid-stride over n.
__kernel void squared_error_partials(const int n, __global const float* y, __global const float* t,
                                     __global float* partial) {
    __local float scratch[WG];
    float sum = 0.0f;
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        const float e = y[i] - t[i];
        sum += e * e;
    }
    scratch[get_local_id(0)] = sum;
    reduce_sum(scratch);
    if (get_local_id(0) == 0) partial[get_group_id(0)] = scratch[0];
}

// partial[g] = sum over this group's elements of -t * log(max(p, FLT_MIN)); grid-stride over n.
__kernel void cross_entropy_partials(const int n, __global const float* p, __global const float* t,
                                     __global float* partial) {
    __local float scratch[WG];
    float sum = 0.0f;
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        if (t[i] != 0.0f) sum -= t[i] * log(max(p[i], MIN_PROBABILITY));
    }
    scratch[get_local_id(0)] = sum;
    reduce_sum(scratch);
    if (get_local_id(0) == 0) partial[get_group_id(0)] = scratch[0];
}

// out[j] = sum_r x[r, j]; one work-group per column j, its work-items striding over rows.
__kernel void column_sums(const int rows, const int cols, __global const float* x, __global float* out) {
    __local float scratch[WG];
    const int j = get_group_id(0);
    float sum = 0.0f;
    for (int r = get_local_id(0); r < rows; r += WG) sum += x[r * cols + j];
    scratch[get_local_id(0)] = sum;
    reduce_sum(scratch);
    if (get_local_id(0) == 0) out[j] = scratch[0];
}

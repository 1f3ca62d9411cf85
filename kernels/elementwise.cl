// Elementwise ops over n floats, one work-item per element (global size n rounded up).

__kernel void sigmoid(const int n, __global const float* z, __global float* out) {
    const int i = get_global_id(0);
    if (i < n) out[i] = 1.0f / (1.0f + exp(-z[i]));
}

// dZ = dA * s * (1 - s)
__kernel void sigmoid_gradient(const int n, __global const float* dA, __global const float* s,
                               __global float* dZ) {
    const int i = get_global_id(0);
    if (i < n) dZ[i] = dA[i] * s[i] * (1.0f - s[i]);
}

// out = log(sigmoid(z)) = -log(1 + exp(-z)), without overflow for large |z|
__kernel void log_sigmoid(const int n, __global const float* z, __global float* out) {
    const int i = get_global_id(0);
    if (i < n) {
        const float zi = z[i];
        out[i] = zi < 0.0f ? zi - log1p(exp(zi)) : -log1p(exp(-zi));
    }
}

// x[r, j] += bias[j]  for x: (n / cols, cols)
__kernel void add_row_vector(const int n, const int cols, __global float* x, __global const float* bias) {
    const int i = get_global_id(0);
    if (i < n) x[i] += bias[i % cols];
}

// y += alpha * x
__kernel void axpy(const int n, const float alpha, __global const float* x, __global float* y) {
    const int i = get_global_id(0);
    if (i < n) y[i] += alpha * x[i];
}

// out = (y - t) / rows: the gradient of MSE (w.r.t. y) and of softmax + CE (w.r.t. z)
__kernel void difference_over_rows(const int n, const float rows, __global const float* y,
                                   __global const float* t, __global float* out) {
    const int i = get_global_id(0);
    if (i < n) out[i] = (y[i] - t[i]) / rows;
}

// out[r, :] = src[indices[r], :]  for out: (n / cols, cols)
__kernel void gather_rows(const int n, const int cols, __global const float* src,
                          __global const int* indices, __global float* out) {
    const int i = get_global_id(0);
    if (i < n) out[i] = src[indices[i / cols] * cols + i % cols];
}

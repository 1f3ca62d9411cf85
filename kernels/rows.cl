// Row and column ops, one work-item per row (or per column) looping over it: handnet's rows
// are short (a head has 10 columns), so this keeps every work-item busy without barriers,
// which CPU drivers such as PoCL pay for dearly. Each kernel names the CpuBackend method it
// must agree with. Launched with n work-items (rounded up), n the rows or columns.

// The index of the largest x[row, :], the first on ties; NaN never wins over an earlier entry.
int row_argmax(__global const real* x, const int row, const int cols) {
    int best = 0;
    for (int j = 1; j < cols; j++) {
        if (x[row * cols + j] > x[row * cols + best]) best = j;
    }
    return best;
}

// CpuBackend.softmaxRows: out[r, :] = exp(z[r, :] - max) / sum(exp(z[r, :] - max)); out may be z.
__kernel void softmax_rows(const int rows, const int cols, __global const real* z, __global real* out) {
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const real* zr = z + r * cols;
    real m = -INFINITY;
    for (int j = 0; j < cols; j++) m = max(m, zr[j]);
    real sum = 0;
    for (int j = 0; j < cols; j++) sum += exp(zr[j] - m);
    for (int j = 0; j < cols; j++) out[r * cols + j] = exp(zr[j] - m) / sum;
}

// CpuBackend.columnSums: out[j] = sum_r x[r, j]; neighbouring work-items read neighbouring columns.
__kernel void column_sums(const int cols, const int rows, __global const real* x, __global real* out) {
    const int j = get_global_id(0);
    if (j >= cols) return;
    real sum = 0;
    for (int r = 0; r < rows; r++) sum += x[r * cols + j];
    out[j] = sum;
}

// CpuBackend.argmaxRows: out[r] = the index of the largest x[r, :].
__kernel void argmax_rows(const int rows, const int cols, __global const real* x, __global int* out) {
    const int r = get_global_id(0);
    if (r < rows) out[r] = row_argmax(x, r, cols);
}

// CpuBackend.countCorrect: *correct += 1 for each row where argmax(scores) == argmax(targets).
__kernel void count_correct(const int rows, const int cols, __global const real* scores,
                            __global const real* targets, __global int* correct) {
    const int r = get_global_id(0);
    if (r < rows && row_argmax(scores, r, cols) == row_argmax(targets, r, cols)) atomic_inc(correct);
}

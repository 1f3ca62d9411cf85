import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.blast.CLBlast;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.jocl.CL.*;
import static org.jocl.blast.CLBlastLayout.CLBlastLayoutRowMajor;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeNo;
import static org.jocl.blast.CLBlastTranspose.CLBlastTransposeYes;

/**
 * CLBlast SGEMM, the peer for handnet's OpenCL GEMM: C = op(A) op(B) on handnet's GEMM shapes, on
 * the OpenCL device handnet would pick, timed as handnet's GemmBench times its own, written in
 * handnet's results schema with tool "clblast". Run through bench/clblast_gemm, which puts JOCL and
 * JOCLBlast (it bundles libclblast.so) on the class path:
 *
 *     java -cp jocl.jar:jocl-blast.jar bench/ClBlastGemm.java [--device opencl|opencl:P:D] [--quick] [--json FILE]
 *
 * Row-major, as handnet stores matrices; op(A): (m, k), op(B): (k, n). A transposed operand is
 * stored as its transpose, A as (k, m), B as (n, k), and handed to CLBlast with its transpose flag.
 */
public class ClBlastGemm {

    /** One product to time; sweep: one of the square sizes handnet's plot draws. */
    record Shape(int m, int k, int n, boolean transA, boolean transB, boolean sweep) {
        double flops() {
            return 2.0 * m * k * n;
        }
    }

    // The shapes of src/main/java/dev/handnet/bench/GemmShape.java, in its order.
    static final List<Shape> TRAINING = List.of(
            new Shape(1000, 784, 100, false, false, false),   // tutorial forward: x W1, batch 1000
            new Shape(784, 1000, 100, true, false, false),    // tutorial dW1 = xᵀ dZ1
            new Shape(1000, 100, 784, false, true, false),    // dX = dZ1 W1ᵀ
            new Shape(1024, 1024, 1024, false, false, false),
            new Shape(32, 784, 100, false, false, false),     // modern forward: x W1, batch 32
            new Shape(784, 32, 100, true, false, false),      // modern dW1 = xᵀ dZ1
            new Shape(1000, 100, 10, false, false, false));   // tutorial output layer: h W2
    static final Shape LARGE = new Shape(2048, 2048, 2048, false, false, false);  // left out by --quick
    static final int[] SWEEP = {64, 128, 256, 512, 1024, 2048};
    static final int QUICK_SWEEP_MAX = 512;

    // handnet's BestOf and BenchPlan: warm-up seconds (2 calls at the least), then at most REPS
    // batches of calls, each batch lasting MIN_BATCH_SECONDS or more and ended by clFinish,
    // fewer once BUDGET seconds are spent; the fastest batch per call is the result.
    static final int REPS = 10, QUICK_REPS = 3, MIN_WARMUP_CALLS = 2;
    static final double WARMUP = 0.2, BUDGET = 1.0, QUICK_WARMUP = 0.05, QUICK_BUDGET = 0.2, MIN_BATCH_SECONDS = 0.002;

    /** Sampled entries of C checked against the host's sum: they show the transpose flags mean what handnet means. */
    static final int CHECKS = 16;

    final cl_context context;
    final cl_command_queue queue;
    final int reps;
    final double warmup, budget;

    @SuppressWarnings("deprecation")  // clCreateCommandQueue: OpenCL 1.2 devices have no clCreateCommandQueueWithProperties
    ClBlastGemm(cl_device_id device, boolean quick) {
        context = clCreateContext(null, 1, new cl_device_id[] {device}, null, null, null);
        queue = clCreateCommandQueue(context, device, 0, null);   // in order, as handnet's
        reps = quick ? QUICK_REPS : REPS;
        warmup = quick ? QUICK_WARMUP : WARMUP;
        budget = quick ? QUICK_BUDGET : BUDGET;
    }

    public static void main(String[] args) throws IOException {
        String spec = "opencl", json = null;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--device" -> spec = value(args, ++i);
                case "--quick" -> quick = true;
                case "--json" -> json = value(args, ++i);
                default -> exit("usage: clblast_gemm [--device opencl|opencl:P:D] [--quick] [--json FILE]");
            }
        }
        CL.setExceptionsEnabled(true);
        CLBlast.setExceptionsEnabled(true);
        Device device = null;
        try {
            device = Device.select(spec);
        } catch (IllegalArgumentException e) {
            exit("clblast_gemm: " + e.getMessage());
        }
        System.err.println("clblast_gemm: " + device.describe() + ", driver " + device.driver());

        ClBlastGemm bench = new ClBlastGemm(device.id(), quick);
        Random random = new Random(1);
        Map<Shape, Double> timed = new HashMap<>();  // a sweep size that is also a named shape is timed once
        List<String> rows = new ArrayList<>();
        System.out.printf("%5s %5s %5s  %-7s %-5s %9s %9s%n", "m", "k", "n", "product", "sweep", "ms", "GFLOP/s");
        for (Shape s : shapes(quick)) {
            double seconds = timed.computeIfAbsent(new Shape(s.m(), s.k(), s.n(), s.transA(), s.transB(), false),
                    product -> bench.seconds(product, random));
            double gflops = s.flops() / seconds / 1e9;
            System.out.printf(Locale.ROOT, "%5d %5d %5d  %-7s %-5s %9.3f %9.1f%n", s.m(), s.k(), s.n(),
                    (s.transA() ? "Aᵀ" : "A") + " " + (s.transB() ? "Bᵀ" : "B"), s.sweep() ? "sweep" : "", seconds * 1e3, gflops);
            rows.add(String.format(Locale.ROOT, "{\"device\": %s, \"m\": %d, \"k\": %d, \"n\": %d, \"trans_a\": %b, "
                    + "\"trans_b\": %b, \"sweep\": %b, \"seconds\": %s, \"gflops\": %s}", quote(device.spec()), s.m(), s.k(),
                    s.n(), s.transA(), s.transB(), s.sweep(), seconds, gflops));
        }
        if (json != null) Files.writeString(Path.of(json), results(device, rows));
    }

    static String value(String[] args, int i) {
        if (i >= args.length) exit("clblast_gemm: " + args[i - 1] + " needs a value");
        return args[i];
    }

    static void exit(String message) {
        System.err.println(message);
        System.exit(2);
    }

    /** handnet's shapes: the training products, the 2048 cube unless quick, then the square sweep. */
    static List<Shape> shapes(boolean quick) {
        List<Shape> shapes = new ArrayList<>(TRAINING);
        if (!quick) shapes.add(LARGE);
        for (int s : SWEEP) if (!quick || s <= QUICK_SWEEP_MAX) shapes.add(new Shape(s, s, s, false, false, true));
        return shapes;
    }

    /** Seconds per CLBlast SGEMM of the shape on random operands in [-1, 1), after checking a few entries of C. */
    double seconds(Shape s, Random random) {
        float[] a = uniform(s.m() * s.k(), random), b = uniform(s.k() * s.n(), random);
        cl_mem da = upload(a), db = upload(b), dc = clCreateBuffer(context, CL_MEM_READ_WRITE, (long) s.m() * s.n() * Sizeof.cl_float, null, null);
        try {
            Runnable gemm = () -> CLBlast.CLBlastSgemm(CLBlastLayoutRowMajor,
                    s.transA() ? CLBlastTransposeYes : CLBlastTransposeNo, s.transB() ? CLBlastTransposeYes : CLBlastTransposeNo,
                    s.m(), s.n(), s.k(), 1f,
                    da, 0, s.transA() ? s.m() : s.k(),   // A's row length as stored: (k, m) when transposed, else (m, k)
                    db, 0, s.transB() ? s.k() : s.n(),   // B's: (n, k) when transposed, else (k, n)
                    0f, dc, 0, s.n(), queue, null);
            double best = bestOf(gemm);
            check(s, a, b, dc, random);
            return best;
        } finally {
            clReleaseMemObject(da);
            clReleaseMemObject(db);
            clReleaseMemObject(dc);
        }
    }

    /** handnet's BestOf: warm-up, then the fastest of the timed batches, per call. */
    double bestOf(Runnable work) {
        long start = System.nanoTime();
        double one;
        int calls = 0;
        do {
            one = batch(work, 1);   // the first call also builds CLBlast's kernels for this shape
            calls++;
        } while (calls < MIN_WARMUP_CALLS || (System.nanoTime() - start) / 1e9 < warmup);
        int perBatch = (int) Math.max(1, Math.ceil(MIN_BATCH_SECONDS / Math.max(one, 1e-9)));
        double best = Double.MAX_VALUE, spent = 0;
        for (int r = 0; r < reps && (r == 0 || spent < budget); r++) {
            double seconds = batch(work, perBatch);
            best = Math.min(best, seconds / perBatch);
            spent += seconds;
        }
        return best;
    }

    /** Seconds for calls runs of work, finished with clFinish. */
    double batch(Runnable work, int calls) {
        long start = System.nanoTime();
        for (int c = 0; c < calls; c++) work.run();
        clFinish(queue);
        return (System.nanoTime() - start) / 1e9;
    }

    /** Compares CHECKS random entries of C with sums on the host; exits when one is off. */
    void check(Shape s, float[] a, float[] b, cl_mem dc, Random random) {
        float[] c = new float[s.m() * s.n()];
        clEnqueueReadBuffer(queue, dc, CL_TRUE, 0, (long) c.length * Sizeof.cl_float, Pointer.to(c), 0, null, null);
        for (int t = 0; t < CHECKS; t++) {
            int i = random.nextInt(s.m()), j = random.nextInt(s.n());
            double sum = 0;
            for (int p = 0; p < s.k(); p++) {
                sum += (double) (s.transA() ? a[p * s.m() + i] : a[i * s.k() + p]) * (s.transB() ? b[j * s.k() + p] : b[p * s.n() + j]);
            }
            if (Math.abs(c[i * s.n() + j] - sum) > 1e-3 * Math.sqrt(s.k())) {
                System.err.printf("clblast_gemm: wrong result for %s at (%d, %d): %f, expected %f%n", s, i, j, c[i * s.n() + j], sum);
                System.exit(1);
            }
        }
    }

    cl_mem upload(float[] data) {
        return clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) data.length * Sizeof.cl_float,
                Pointer.to(data), null);
    }

    static float[] uniform(int size, Random random) {
        float[] data = new float[size];
        for (int i = 0; i < data.length; i++) data[i] = 2 * random.nextFloat() - 1;
        return data;
    }

    /** An OpenCL device as handnet names it (opencl:P:D, indices into the platforms and their devices). */
    record Device(int platform, int device, String platformName, String name, boolean gpu, String type, int computeUnits,
                  String driver, cl_device_id id) {

        String spec() {
            return "opencl:" + platform + ":" + device;
        }

        String describe() {
            return String.format(Locale.ROOT, "%s %s (%s, %s, %d compute units)", spec(), name, platformName, type, computeUnits);
        }

        /** handnet's OpenClDevices.select: "opencl" is the GPU with the most compute units, else the first device; "opencl:P:D" that one. */
        static Device select(String spec) {
            List<Device> all = list();
            if (all.isEmpty()) throw new IllegalArgumentException("no OpenCL device found");
            if (spec.equals("opencl")) {
                return all.stream().filter(Device::gpu).max(Comparator.comparingInt(Device::computeUnits)).orElse(all.get(0));
            }
            if (!spec.matches("opencl:\\d+:\\d+")) throw new IllegalArgumentException("--device: opencl or opencl:P:D, not " + spec);
            return all.stream().filter(d -> d.spec().equals(spec)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no OpenCL device " + spec + " (./handnet devices lists them)"));
        }

        /** Every device of every platform, in handnet's order. */
        static List<Device> list() {
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            clGetPlatformIDs(count[0], platforms, null);
            List<Device> devices = new ArrayList<>();
            for (int p = 0; p < platforms.length; p++) {
                cl_device_id[] ids = deviceIds(platforms[p]);
                long[] size = new long[1];
                clGetPlatformInfo(platforms[p], CL_PLATFORM_NAME, 0, null, size);
                byte[] name = new byte[(int) size[0]];
                clGetPlatformInfo(platforms[p], CL_PLATFORM_NAME, name.length, Pointer.to(name), null);
                String platformName = new String(name, 0, Math.max(0, name.length - 1)).strip();
                for (int d = 0; d < ids.length; d++) {
                    long[] type = new long[1];
                    int[] units = new int[1];
                    clGetDeviceInfo(ids[d], CL_DEVICE_TYPE, Sizeof.cl_ulong, Pointer.to(type), null);
                    clGetDeviceInfo(ids[d], CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint, Pointer.to(units), null);
                    boolean gpu = (type[0] & CL_DEVICE_TYPE_GPU) != 0;
                    String typeName = gpu ? "GPU" : (type[0] & CL_DEVICE_TYPE_CPU) != 0 ? "CPU" : "other";
                    devices.add(new Device(p, d, platformName, info(ids[d], CL_DEVICE_NAME), gpu, typeName, units[0],
                            info(ids[d], CL_DRIVER_VERSION), ids[d]));
                }
            }
            return devices;
        }

        /** A platform's devices; none for a platform without any, as handnet counts them. */
        static cl_device_id[] deviceIds(cl_platform_id platform) {
            try {
                int[] count = new int[1];
                clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
                cl_device_id[] ids = new cl_device_id[count[0]];
                if (count[0] > 0) clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, count[0], ids, null);
                return ids;
            } catch (CLException e) {
                if (e.getStatus() == CL_DEVICE_NOT_FOUND) return new cl_device_id[0];
                throw e;
            }
        }

        static String info(cl_device_id id, int param) {
            long[] size = new long[1];
            clGetDeviceInfo(id, param, 0, null, size);
            byte[] text = new byte[(int) size[0]];
            clGetDeviceInfo(id, param, text.length, Pointer.to(text), null);
            return new String(text, 0, Math.max(0, text.length - 1)).strip();
        }
    }

    /** The results file in handnet's schema: tool, date, machine, versions, devices, gemm rows, no epochs. */
    static String results(Device device, List<String> gemmRows) {
        String jocl = mavenVersion("jocl"), joclBlast = mavenVersion("jocl-blast");
        return "{\"tool\": \"clblast\", \"date\": " + quote(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()) + ",\n"
                + " \"machine\": {\"cpu\": " + quote(cpuModel()) + ", \"cores\": " + Runtime.getRuntime().availableProcessors() + "},\n"
                // JOCLBlast's version is the version of the CLBlast it bundles.
                + " \"versions\": {\"clblast\": " + quote(joclBlast) + ", \"jocl_blast\": " + quote(joclBlast)
                + ", \"jocl\": " + quote(jocl) + ", \"java\": " + quote(System.getProperty("java.runtime.version")) + "},\n"
                + " \"devices\": [{\"device\": " + quote(device.spec()) + ", \"name\": " + quote(device.describe())
                + ", \"platform\": " + quote(device.platformName()) + ", \"driver\": " + quote(device.driver()) + "}],\n"
                + " \"gemm\": [\n  " + String.join(",\n  ", gemmRows) + "],\n"
                + " \"epochs\": []}\n";
    }

    /** The version in an org.jocl jar's Maven metadata on the class path, or "?". */
    static String mavenVersion(String artifact) {
        try (InputStream in = ClBlastGemm.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.jocl/" + artifact + "/pom.properties")) {
            if (in == null) return "?";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    static String cpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    /** s as a JSON string. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') out.append('\\').append(ch);
            else if (ch < 0x20) out.append(String.format("\\u%04x", (int) ch));
            else out.append(ch);
        }
        return out.append('"').toString();
    }
}

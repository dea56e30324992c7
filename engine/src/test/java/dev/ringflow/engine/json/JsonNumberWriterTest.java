package dev.ringflow.engine.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every double's text reads back as that double, is valid JSON, is laid out by the documented rules and has the
 * fewest digits possible, the closest of those (checked against {@link ShortestDecimalOracle}, not against JDK 17's
 * {@link Double#toString}, which is not always shortest); writing allocates nothing.
 * <p>
 * Random tests print their seed; {@code -Dringflow.seed=N} runs one again.
 */
class JsonNumberWriterTest
{
    private static final int ROUND_TRIPS = 2_000_000;
    private static final int SHORTNESS_CHECKS = 200_000;
    private static final int FOREIGN_READS = 10_000;
    /** RFC 8259, section 6: number = [ minus ] int [ frac ] [ exp ]. */
    static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0.0                     | 0",
        "-0.0                    | -0.0",
        "1.0                     | 1",
        "3                       | 3",
        "-42                     | -42",
        "100                     | 100",
        "1234567890123           | 1234567890123",
        "1e15                    | 1000000000000000",
        "9007199254740993        | 9007199254740992",
        "9007199254740995        | 9007199254740996",
        "9999999999999998        | 9999999999999998",
        "-9999999999999998       | -9999999999999998",
        "1e16                    | 1e16",
        "1e17                    | 1e17",
        "123e18                  | 1.23e20",
        "9223372036854775807     | 9.223372036854776e18",
        "2e23                    | 2e23",
        "1.0E23                  | 1e23",
        "1e22                    | 1e22",
        "0.1                     | 0.1",
        "0.3                     | 0.3",
        "0.30000000000000004     | 0.30000000000000004",
        "0.3333333333333333      | 0.3333333333333333",
        "0.6666666666666666      | 0.6666666666666666",
        "0.14285714285714285     | 0.14285714285714285",
        "4.35                    | 4.35",
        "123.456                 | 123.456",
        "-123.456                | -123.456",
        "1000000000000000.5      | 1000000000000000.5",
        "0.001                   | 0.001",
        "1e-5                    | 0.00001",
        "1.234e-5                | 0.00001234",
        "-1.2345678901234568e-5  | -0.000012345678901234568",
        "9.999999999999999e-6    | 9.999999999999999e-6",
        "1e-6                    | 1e-6",
        "1.5e-7                  | 1.5e-7",
        "-1e-7                   | -1e-7",
        "5e-324                  | 5e-324",
        "-4.9e-324               | -5e-324",
        "1e-323                  | 1e-323",
        "1.5e-323                | 1.5e-323",
        "2.2250738585072014E-308 | 2.2250738585072014e-308",
        "2.225073858507201e-308  | 2.225073858507201e-308",
        "1.7976931348623157e308  | 1.7976931348623157e308",
        "-1.7976931348623157e308 | -1.7976931348623157e308",
        "NaN                     | null",
        "Infinity                | null",
        "-Infinity               | null",
    })
    void shouldWriteKnownValuesExactly(final String literal, final String expected)
    {
        assertThat(text(Double.parseDouble(literal))).isEqualTo(expected);
    }

    @Test
    void shouldCallOnlyFiniteValuesRepresentable()
    {
        assertThat(JsonNumberWriter.isRepresentable(0.0)).isTrue();
        assertThat(JsonNumberWriter.isRepresentable(-0.0)).isTrue();
        assertThat(JsonNumberWriter.isRepresentable(Double.MAX_VALUE)).isTrue();
        assertThat(JsonNumberWriter.isRepresentable(-Double.MIN_VALUE)).isTrue();
        assertThat(JsonNumberWriter.isRepresentable(Double.NaN)).isFalse();
        assertThat(JsonNumberWriter.isRepresentable(Double.longBitsToDouble(0xfff8_0000_0000_0001L))).isFalse();
        assertThat(JsonNumberWriter.isRepresentable(Double.POSITIVE_INFINITY)).isFalse();
        assertThat(JsonNumberWriter.isRepresentable(Double.NEGATIVE_INFINITY)).isFalse();
    }

    @Test
    void shouldWriteOnlyItsOwnBytesAtAnOffsetAndFitInMaxLength()
    {
        final double[] values = { -1.2345678901234567e-308, -0.000012345678901234568, -Double.MIN_VALUE, 7.0, -0.0 };
        for (final double value : values)
        {
            final int offset = 5;
            final byte[] dst = new byte[offset + JsonNumberWriter.MAX_LENGTH + 3];
            Arrays.fill(dst, (byte)'#');
            final int length = JsonNumberWriter.write(value, dst, offset);

            assertThat(length).isBetween(1, JsonNumberWriter.MAX_LENGTH);
            assertThat(new String(dst, 0, offset, StandardCharsets.US_ASCII)).isEqualTo("#####");
            assertThat(new String(dst, offset + length, dst.length - offset - length, StandardCharsets.US_ASCII))
                .matches("#+");
        }
        assertThat(text(-1.2345678901234567e-308)).hasSize(JsonNumberWriter.MAX_LENGTH);
        assertThat(text(-0.000012345678901234568)).hasSize(JsonNumberWriter.MAX_LENGTH);
    }

    /** Every binary exponent, both signs, the smallest, largest and some random mantissas: every table entry used. */
    @Test
    void shouldRoundTripEveryBinaryExponent()
    {
        final SplittableRandom random = new SplittableRandom(seed("shouldRoundTripEveryBinaryExponent"));
        final CheckFailures failures = new CheckFailures();
        final long[] mantissas = new long[8];
        for (long exponent = 0; exponent < 0x7ff; exponent++)
        {
            mantissas[0] = 0;
            mantissas[1] = 1;
            mantissas[2] = (1L << 52) - 1;
            mantissas[3] = 1L << 51;
            for (int i = 4; i < mantissas.length; i++)
            {
                mantissas[i] = random.nextLong(1L << 52);
            }
            for (final long mantissa : mantissas)
            {
                final double value = Double.longBitsToDouble(exponent << 52 | mantissa);
                checkRoundTripAndLayout(value, failures);
                checkRoundTripAndLayout(-value, failures);
            }
        }
        assertThat(failures.list()).isEmpty();
        assertThat(failures.checked()).isEqualTo(2 * 8 * 0x7ff);
    }

    @Test
    void shouldRoundTripTwoMillionMixedDoublesBitForBitAsValidJson()
    {
        final SplittableRandom random = new SplittableRandom(seed("shouldRoundTripTwoMillionMixedDoubles"));
        final CheckFailures failures = new CheckFailures();
        for (int i = 0; i < ROUND_TRIPS; i++)
        {
            checkRoundTripAndLayout(DoubleSamples.next(random), failures);
        }
        assertThat(failures.list()).isEmpty();
        assertThat(failures.checked()).isEqualTo(ROUND_TRIPS);
    }

    @Test
    void shouldWriteTheFewestDigitsAndOfThoseTheClosestByAnIndependentBigDecimalSearch()
    {
        final SplittableRandom random = new SplittableRandom(seed("shouldWriteTheFewestDigitsAndOfThoseTheClosest"));
        final CheckFailures failures = new CheckFailures();
        for (int i = 0; i < SHORTNESS_CHECKS; i++)
        {
            final double value = DoubleSamples.next(random);
            failures.count();
            if (value == 0)
            {
                continue;
            }
            final String text = text(value);
            final BigDecimal expected = ShortestDecimalOracle.shortestClosest(value);
            if (new BigDecimal(text).abs().compareTo(expected) != 0
                || ShortestDecimalOracle.significantDigits(text) != expected.precision())
            {
                failures.add(value, text, "expected the digits of " + expected);
            }
        }
        assertThat(failures.list()).isEmpty();
        assertThat(failures.checked()).isEqualTo(SHORTNESS_CHECKS);
    }

    @Test
    void shouldAllocateNothingOnceWarm()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final double[] values = new double[4096];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = random.nextInt(8) == 0 ? Double.NaN : DoubleSamples.next(random);
        }
        final byte[] dst = new byte[JsonNumberWriter.MAX_LENGTH];
        final long[] written = new long[1];
        final Runnable writes = () ->
        {
            long total = 0;
            for (int i = 0; i < 1_000_000; i++)
            {
                total += JsonNumberWriter.write(values[i & (values.length - 1)], dst, 0);
            }
            written[0] += total;
        };
        writes.run();
        writes.run();

        assertThat(allocatedBytes(writes)).isLessThan(1024);
        assertThat(written[0]).isPositive();
    }

    /** Python's float() and json.loads read every text back bit for bit; repr chose the same decimal. */
    @Test
    void shouldReadBackTheSameInPythonWhoseReprPicksTheSameDecimal(@TempDir final Path directory) throws Exception
    {
        assumeTrue(runs(directory, "python3", "-c", "pass"), "python3 is not installed");
        final String script = String.join("\n",
            "import sys, json, struct",
            "bits = lambda f: struct.unpack('<q', struct.pack('<d', f))[0]",
            "for line in open(sys.argv[1]):",
            "    text = line.strip()",
            "    print(bits(float(text)), bits(float(json.loads(text))), repr(float(text)))");
        assertAgreement(directory, "shouldReadBackTheSameInPython", "python3", "-c", script);
    }

    /** JavaScript's JSON.parse reads every text back bit for bit; String(x) chose the same decimal. */
    @Test
    void shouldReadBackTheSameInJavaScriptWhoseToStringPicksTheSameDecimal(@TempDir final Path directory)
        throws Exception
    {
        assumeTrue(runs(directory, "node", "-e", "0"), "node is not installed");
        final String script = String.join("\n",
            "const lines = require('fs').readFileSync(process.argv[1], 'utf8').split('\\n').filter(l => l);",
            "const f = new Float64Array(1), b = new BigInt64Array(f.buffer);",
            "const bits = x => { f[0] = x; return b[0]; };",
            "const out = lines.map(t => bits(Number(t)) + ' ' + bits(JSON.parse(t)) + ' ' + String(JSON.parse(t)));",
            "process.stdout.write(out.join('\\n') + '\\n');");
        assertAgreement(directory, "shouldReadBackTheSameInJavaScript", "node", "-e", script);
    }

    static String text(final double value)
    {
        final byte[] dst = new byte[JsonNumberWriter.MAX_LENGTH];
        return new String(dst, 0, JsonNumberWriter.write(value, dst, 0), StandardCharsets.US_ASCII);
    }

    /** Reads back bit for bit, is JSON, and is laid out by the rules in {@link JsonNumberWriter}'s doc. */
    private static void checkRoundTripAndLayout(final double value, final CheckFailures failures)
    {
        failures.count();
        final String text = text(value);
        if (!JSON_NUMBER.matcher(text).matches())
        {
            failures.add(value, text, "not a JSON number");
            return;
        }
        if (Double.doubleToRawLongBits(Double.parseDouble(text)) != Double.doubleToRawLongBits(value))
        {
            failures.add(value, text, "reads back as " + Double.parseDouble(text));
            return;
        }
        final double magnitude = Math.abs(value);
        final boolean plain = text.indexOf('e') < 0;
        if (value == 0)
        {
            if (!text.equals(1 / value < 0 ? "-0.0" : "0"))
            {
                failures.add(value, text, "zero is 0, negative zero -0.0");
            }
        }
        else if (magnitude < 1e16 && magnitude == Math.rint(magnitude))
        {
            if (!text.equals(new BigDecimal(value).toPlainString()))
            {
                failures.add(value, text, "an integer below 1e16 is written as one");
            }
        }
        else if (plain != (magnitude >= 1e-5 && magnitude < 1e16))
        {
            failures.add(value, text, "plain iff 1e-5 <= |x| < 1e16");
        }
    }

    /**
     * Writes {@value #FOREIGN_READS} texts to a file, has {@code command} read each and print "bits bits decimal"
     * (as its float parser and its JSON parser read it, and the decimal its own shortest formatter picks), and
     * checks each against the value written.
     */
    private static void assertAgreement(final Path directory, final String test, final String... command)
        throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed(test));
        final double[] values = new double[FOREIGN_READS];
        final StringBuilder texts = new StringBuilder();
        for (int i = 0; i < values.length; i++)
        {
            values[i] = DoubleSamples.next(random);
            texts.append(text(values[i])).append('\n');
        }
        final Path input = Files.writeString(directory.resolve("numbers.json"), texts);
        final List<String> lines = run(directory, append(command, input.toString()));

        assertThat(lines).hasSize(values.length);
        final CheckFailures failures = new CheckFailures();
        for (int i = 0; i < values.length; i++)
        {
            failures.count();
            final String[] fields = lines.get(i).split(" ");
            final long bits = Double.doubleToRawLongBits(values[i]);
            final String text = text(values[i]);
            if (Long.parseLong(fields[0]) != bits || Long.parseLong(fields[1]) != bits)
            {
                failures.add(values[i], text, command[0] + " read bits " + fields[0] + " and " + fields[1]);
            }
            else if (new BigDecimal(fields[2]).compareTo(new BigDecimal(text)) != 0)
            {
                failures.add(values[i], text, command[0] + " picks " + fields[2]);
            }
        }
        assertThat(failures.list()).isEmpty();
    }

    private static boolean runs(final Path directory, final String... command)
    {
        try
        {
            run(directory, command);
            return true;
        }
        catch (final IOException | AssertionError ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code command} to its end (killed after a minute) and returns what it printed. */
    private static List<String> run(final Path directory, final String... command)
        throws IOException, InterruptedException
    {
        final Path output = Files.createTempFile(directory, "out", ".txt");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
            .start();
        if (!process.waitFor(1, TimeUnit.MINUTES))
        {
            process.destroyForcibly().waitFor();
            throw new AssertionError(command[0] + " did not finish in a minute");
        }
        final List<String> lines = Files.readAllLines(output);
        if (process.exitValue() != 0)
        {
            throw new AssertionError(command[0] + " exited with " + process.exitValue() + ": " + lines);
        }
        return lines;
    }

    private static String[] append(final String[] command, final String argument)
    {
        final String[] result = Arrays.copyOf(command, command.length + 1);
        result[command.length] = argument;
        return result;
    }

    private static long seed(final String test)
    {
        final long seed = Long.getLong("ringflow.seed", System.nanoTime());
        System.out.println("JsonNumberWriterTest." + test + " seed=" + seed);
        return seed;
    }

    /** Bytes this thread allocates while {@code steadyState} runs, less what measuring itself allocates. */
    private static long allocatedBytes(final Runnable steadyState)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        final long emptyMeasurement = threads.getThreadAllocatedBytes(threadId) - before;
        final long start = threads.getThreadAllocatedBytes(threadId);
        steadyState.run();
        return threads.getThreadAllocatedBytes(threadId) - start - emptyMeasurement;
    }
}

package dev.handnet.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for option values that have a range: a value outside it is a usage error (exit 2)
 * before anything runs, and picocli's message names the option:
 * {@code Invalid value for option '--lr' (RATE): expected a finite number > 0, got 'NaN'}.
 * Every numeric option of every command names one of these (or is exempt, as {@code --seed}
 * is: any long is a seed); {@code CliErrorsTest} checks that none is forgotten.
 */
public final class Values {

    private Values() {
    }

    /** A whole number >= 1: counts, sizes, epochs, rows. */
    public static final class Count implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 1);
        }
    }

    /** A whole number >= 0: indexes. */
    public static final class Index implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 0);
        }
    }

    /** A finite number > 0: rates, budgets, clocks. */
    public static final class Positive implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d = number(value, "> 0");
            if (!(d > 0)) throw new TypeConversionException("expected a finite number > 0, got '" + value + "'");
            return d;
        }
    }

    /** Any finite number: initial values. */
    public static final class Finite implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return number(value, "");
        }
    }

    /** A finite double; NaN, the infinities and values that overflow to them are refused. */
    private static double number(String value, String range) {
        String expected = "expected a finite number" + (range.isEmpty() ? "" : " " + range) + ", got '" + value + "'";
        double d;
        try {
            d = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException(expected);
        }
        if (!Double.isFinite(d)) throw new TypeConversionException(expected);
        return d;
    }

    /** A decimal int >= min; a value past int's range is named as such rather than "not a number". */
    private static int atLeast(String value, int min) {
        String expected = "expected a whole number >= " + min + ", got '" + value + "'";
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            if (value.trim().matches("[+-]?\\d+")) {
                throw new TypeConversionException(expected + " (larger than " + Integer.MAX_VALUE + ")");
            }
            throw new TypeConversionException(expected);
        }
        if (n < min) throw new TypeConversionException(expected);
        return n;
    }
}

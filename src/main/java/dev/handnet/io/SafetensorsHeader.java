package dev.handnet.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file: each tensor's dtype, shape and data_offsets, and the
 * flat string map "__metadata__". Parsed token by token (no JSON tree), so what it allocates
 * stays in proportion to the header's bytes; a duplicate key, a value of the wrong JSON type,
 * an unknown key inside a tensor or anything after the object is an error naming the field.
 * The header says nothing here about the architecture: {@link CheckpointV2Reader} checks that.
 */
record SafetensorsHeader(Map<String, Tensor> tensors, Map<String, String> metadata) {

    /** One tensor's entry; begin and end are byte offsets into the data buffer. */
    record Tensor(String name, String dtype, long[] shape, long begin, long end) {
    }

    static final String METADATA = "__metadata__";
    /** More tensors than a network of the most layers has (W and b per layer) is refused as it is read. */
    static final int MAX_TENSORS = 2 * CheckpointV1.MAX_LAYERS;
    private static final int MAX_RANK = 8;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Parses the header's bytes; file names it in errors. */
    static SafetensorsHeader parse(Path file, byte[] header) {
        if (header.length == 0 || header[0] != '{') {
            throw new CheckpointException(file, "field 'header' does not start with '{', expected a JSON object");
        }
        // Jackson guesses UTF-16/32 from zero bytes; valid UTF-8 JSON has none, so refusing them keeps it UTF-8.
        for (byte b : header) {
            if (b == 0) throw new CheckpointException(file, "field 'header' holds a NUL byte, expected UTF-8 JSON");
        }
        Parser p = new Parser(file);
        try (JsonParser json = JSON.createParser(header)) {
            p.json = json;
            return p.header();
        } catch (StreamReadException e) {
            String at = p.json == null ? "" : p.json.getParsingContext().pathAsPointer().toString();
            at = at.isEmpty() ? "header" : at.substring(1).replace('/', '.');
            throw new CheckpointException(file, "field '" + at + "' is not valid JSON: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new CheckpointException(file, "field 'header' cannot be parsed: " + oneLine(e.getMessage()), e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ");
    }

    /** The JSON parser and the file it reads, for messages. */
    private static final class Parser {
        final Path file;
        JsonParser json;

        Parser(Path file) {
            this.file = file;
        }

        SafetensorsHeader header() throws IOException {
            expect(json.nextToken(), JsonToken.START_OBJECT, "header", "a JSON object");
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                if (name.equals(METADATA)) {
                    metadata = metadata();
                } else {
                    if (tensors.size() == MAX_TENSORS) {
                        throw error(name, "is one tensor more than " + MAX_TENSORS + ", the most a checkpoint holds");
                    }
                    tensors.put(name, tensor(name));
                }
            }
            JsonToken after = json.nextToken();
            if (after != null) throw error("header", "is followed by " + describe(after) + ", expected only spaces after the JSON object");
            return new SafetensorsHeader(tensors, metadata == null ? Map.of() : metadata);
        }

        private Map<String, String> metadata() throws IOException {
            expect(json.nextToken(), JsonToken.START_OBJECT, METADATA, "an object of strings");
            Map<String, String> metadata = new LinkedHashMap<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String key = json.currentName();
                expect(json.nextToken(), JsonToken.VALUE_STRING, METADATA + "." + key, "a string");
                metadata.put(key, json.getText());
            }
            return metadata;
        }

        private Tensor tensor(String name) throws IOException {
            expect(json.nextToken(), JsonToken.START_OBJECT, name, "an object with dtype, shape and data_offsets");
            String dtype = null;
            long[] shape = null, offsets = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String key = json.currentName();
                switch (key) {
                    case "dtype" -> {
                        expect(json.nextToken(), JsonToken.VALUE_STRING, name + ".dtype", "a string such as F32");
                        dtype = json.getText();
                    }
                    case "shape" -> shape = longs(name, "shape", MAX_RANK);
                    case "data_offsets" -> offsets = longs(name, "data_offsets", 2);
                    default -> throw error(name, "has the unknown key '" + key + "', expected dtype, shape and data_offsets");
                }
            }
            if (dtype == null) throw error(name, "has no dtype");
            if (shape == null) throw error(name, "has no shape");
            if (offsets == null || offsets.length != 2) {
                throw error(name, "has data_offsets " + (offsets == null ? "missing" : Arrays.toString(offsets)) + ", expected [begin, end]");
            }
            return new Tensor(name, dtype, shape, offsets[0], offsets[1]);
        }

        /** An array of at most max non-negative integers that fit a long. */
        private long[] longs(String name, String key, int max) throws IOException {
            String where = name + "." + key;
            expect(json.nextToken(), JsonToken.START_ARRAY, where, "an array of integers");
            List<Long> values = new ArrayList<>();
            for (JsonToken t = json.nextToken(); t != JsonToken.END_ARRAY; t = json.nextToken()) {
                if (values.size() == max) throw error(where, "has more than " + max + " entries");
                String at = where + "[" + values.size() + "]";
                expect(t, JsonToken.VALUE_NUMBER_INT, at, "a non-negative integer");
                if (json.getNumberType() == JsonParser.NumberType.BIG_INTEGER || json.getLongValue() < 0) {
                    throw error(at, "is " + json.getText() + ", expected an integer from 0 to 2^63 - 1");
                }
                values.add(json.getLongValue());
            }
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        private void expect(JsonToken actual, JsonToken expected, String where, String what) {
            if (actual != expected) {
                throw error(where, "is " + (actual == null ? "missing (the header ends)" : describe(actual)) + ", expected " + what);
            }
        }

        private static String describe(JsonToken t) {
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
            };
        }

        private CheckpointException error(String where, String problem) {
            return new CheckpointException(file, "field '" + where + "' " + problem);
        }
    }
}

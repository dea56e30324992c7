/**
 * JSON output primitives that write straight into byte arrays without allocating:
 * {@link dev.ringflow.engine.json.JsonNumberWriter} writes a double as its shortest round-trip JSON number.
 */
package dev.ringflow.engine.json;

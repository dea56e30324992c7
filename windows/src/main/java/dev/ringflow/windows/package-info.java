/**
 * Allocation-free keyed window aggregations: pure data structures over dense int key ids, with no threads, no I/O
 * and no clock. {@link dev.ringflow.windows.CountWindowAggregator} is the count-based sliding and tumbling window.
 */
package dev.ringflow.windows;

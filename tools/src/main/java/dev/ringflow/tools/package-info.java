/**
 * The {@code ringflow} command line: {@code run} (the daemon), {@code demo}, {@code broker}, {@code produce},
 * {@code consume}.
 */
package dev.ringflow.tools;

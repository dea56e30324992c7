/**
 * The pipeline expression language: {@link dev.ringflow.engine.expr.Expression#compile compile} text such as
 * {@code amount * fx > 1000 and country != 'FR'} once, against a {@link dev.ringflow.engine.expr.FieldResolver}
 * that maps field paths to ids, then evaluate it per event through {@link dev.ringflow.engine.expr.FieldValues},
 * with the outcome (a failure reason, a string result) in a reusable {@link dev.ringflow.engine.expr.EvalContext}.
 * Compilation reports syntax and type errors as an {@link dev.ringflow.engine.expr.ExpressionException} with the
 * column; evaluation allocates nothing and never throws on bad data.
 */
package dev.ringflow.engine.expr;

package dev.ringflow.engine.expr;

/**
 * A node of a compiled expression tree; each subclass evaluates to one {@link FieldType}.
 * <p>
 * <b>Note:</b> Nodes may hold scratch state for evaluation, so a tree belongs to one worker thread.
 * <p>
 * <b>Note:</b> Evaluation never throws on bad data: a node that cannot produce its value records a failure
 * reason, built at compile time, in the {@link EvalContext} and returns a placeholder; the first failure
 * recorded wins, so the placeholders' further use is harmless.
 */
abstract class Node
{
    abstract FieldType type();
}

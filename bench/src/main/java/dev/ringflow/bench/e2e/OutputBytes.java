package dev.ringflow.bench.e2e;

import dev.ringflow.engine.EventSlot;
import dev.ringflow.engine.OutputList;
import dev.ringflow.engine.pipeline.PipelineFile;
import dev.ringflow.engine.stage.PipelineProcessor;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.file.Path;
import java.util.List;

/**
 * How many bytes a pipeline writes to Kafka per input record, found by running its file in memory (one
 * {@link PipelineProcessor}, as a worker does) over a sample of its input: the keys and values of every record it
 * writes (outputs, routed records, dead letters) against the keys and values it read. The difference, per input, is
 * what {@link PassThroughMain} {@code --append-bytes} pads each forwarded value with, so that a pass-through writes
 * the pipeline's bytes.
 * <p>
 * <b>Note:</b> Event times are the sample's order, 1 ms apart; a pipeline that reads its time from a field uses that.
 */
final class OutputBytes
{
    private OutputBytes()
    {
    }

    /**
     * @param inputBytes  mean key + value bytes of an input record.
     * @param outputBytes mean key + value bytes the pipeline wrote per input record, over every topic.
     * @param records     records of every kind written per input record.
     */
    record PerInput(double inputBytes, double outputBytes, double records)
    {
        /** The bytes to append to each forwarded input for a pass-through to write as many: 0 when it writes less. */
        int appendBytes()
        {
            return (int)Math.max(0, Math.round(outputBytes - inputBytes));
        }
    }

    /**
     * @throws IllegalArgumentException when the sample is empty.
     */
    static PerInput measure(final Path pipelineFile, final List<ProducerRecord<byte[], byte[]>> sample)
    {
        if (sample.isEmpty())
        {
            throw new IllegalArgumentException("no input records to size " + pipelineFile + " on");
        }
        final PipelineProcessor processor = new PipelineProcessor(PipelineFile.load(pipelineFile));
        final EventSlot slot = new EventSlot();
        long read = 0;
        long written = 0;
        long records = 0;
        long offset = 0;
        for (final ProducerRecord<byte[], byte[]> input : sample)
        {
            slot.input(input.topic(), 0, offset, 1_733_000_000_000L + offset, input.key(), input.value());
            offset++;
            read += length(input.key()) + length(input.value());
            processor.process(slot);
            final OutputList outputs = processor.outputs();
            for (int i = 0; i < outputs.size(); i++)
            {
                written += outputs.key(i).length() + outputs.value(i).length();
                records++;
            }
        }
        return new PerInput((double)read / sample.size(), (double)written / sample.size(),
            (double)records / sample.size());
    }

    private static int length(final byte[] bytes)
    {
        return null == bytes ? 0 : bytes.length;
    }
}

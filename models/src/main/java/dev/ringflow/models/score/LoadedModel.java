package dev.ringflow.models.score;

import java.util.List;

/**
 * What every loaded model knows about itself besides its numbers: kind, source, version and input names.
 * <p>
 * <b>Note:</b> immutable; subclasses add final primitive arrays only.
 */
abstract class LoadedModel implements Model
{
    private final ModelKind kind;
    private final String sourceName;
    private final String version;
    private final List<String> featureNames;
    private final boolean declaresFeatureNames;

    LoadedModel(
        final ModelKind kind,
        final String sourceName,
        final String version,
        final List<String> featureNames,
        final boolean declaresFeatureNames)
    {
        this.kind = kind;
        this.sourceName = sourceName;
        this.version = version;
        this.featureNames = List.copyOf(featureNames);
        this.declaresFeatureNames = declaresFeatureNames;
    }

    @Override
    public final ModelKind kind()
    {
        return kind;
    }

    @Override
    public final String sourceName()
    {
        return sourceName;
    }

    @Override
    public final String version()
    {
        return version;
    }

    @Override
    public final List<String> featureNames()
    {
        return featureNames;
    }

    @Override
    public final boolean declaresFeatureNames()
    {
        return declaresFeatureNames;
    }

    @Override
    public final int featureCount()
    {
        return featureNames.size();
    }

    @Override
    public String toString()
    {
        return kind + " model " + sourceName + " version " + version + " (" + featureCount() + " features)";
    }
}

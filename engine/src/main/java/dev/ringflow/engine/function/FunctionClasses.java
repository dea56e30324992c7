package dev.ringflow.engine.function;

import dev.ringflow.api.KeyedFunction;
import dev.ringflow.api.RecordFunction;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * Checks a loaded class against the function API and makes instances of it, with messages that say what to fix.
 */
public final class FunctionClasses
{
    /** The most state slots (doubles and longs together) a keyed function may declare per key. */
    public static final int MAX_STATE_SLOTS = 4096;

    private FunctionClasses()
    {
    }

    /**
     * @return null when {@code type} can be run as a function, else what is wrong with it.
     */
    public static String problem(final Class<?> type)
    {
        final boolean record = RecordFunction.class.isAssignableFrom(type);
        final boolean keyed = KeyedFunction.class.isAssignableFrom(type);
        if (!record && !keyed)
        {
            return "class " + type.getName() + " is not a function: implement " + RecordFunction.class.getName() +
                " or " + KeyedFunction.class.getName() + apiCopyHint(type);
        }
        if (record && keyed)
        {
            return "class " + type.getName() + " implements both RecordFunction and KeyedFunction; implement one";
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers()))
        {
            return "class " + type.getName() + " must be a public, concrete class";
        }
        try
        {
            type.getConstructor();
        }
        catch (final NoSuchMethodException ex)
        {
            return "class " + type.getName() + " needs a public no-argument constructor";
        }
        return null;
    }

    /**
     * A new instance through the public no-argument constructor.
     *
     * @throws IllegalStateException naming the class and what the constructor threw.
     */
    public static Object newInstance(final Class<?> type)
    {
        try
        {
            final Constructor<?> constructor = type.getConstructor();
            return constructor.newInstance();
        }
        catch (final InvocationTargetException ex)
        {
            throw new IllegalStateException("the constructor of " + type.getName() + " threw " + ex.getCause(),
                ex.getCause());
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("cannot make an instance of " + type.getName() + ": " + ex, ex);
        }
    }

    /** A plugin that bundles its own copy of the API implements interfaces Ringflow does not know. */
    private static String apiCopyHint(final Class<?> type)
    {
        for (final Class<?> implemented : type.getInterfaces())
        {
            if (implemented.getName().equals(RecordFunction.class.getName()) ||
                implemented.getName().equals(KeyedFunction.class.getName()))
            {
                return " (it implements another copy of " + implemented.getName() + ": do not bundle ringflow-api " +
                    "in the plugin jar; declare it <scope>provided</scope>)";
            }
        }
        return "";
    }
}

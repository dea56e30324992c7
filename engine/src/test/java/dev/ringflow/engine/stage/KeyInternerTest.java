package dev.ringflow.engine.stage;

import dev.ringflow.engine.ByteSlice;
import dev.ringflow.engine.TestSeeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class KeyInternerTest
{
    @Test
    void shouldGiveEachDistinctKeyOneDenseIdLikeAHashMap()
    {
        final long seed = TestSeeds.seed("shouldGiveEachDistinctKeyOneDenseIdLikeAHashMap");
        final Random random = new Random(seed);
        final KeyInterner interner = new KeyInterner();
        final Map<String, Integer> oracle = new HashMap<>();
        final ByteSlice key = new ByteSlice();
        for (int i = 0; i < 300_000; i++)
        {
            final String text = "k" + random.nextInt(50_000);
            key.set(text.getBytes(StandardCharsets.UTF_8));
            final int id = interner.intern(key);
            final Integer expected = oracle.putIfAbsent(text, oracle.size() + 1);
            assertThat(id).isEqualTo(null == expected ? oracle.size() : expected);
        }
        assertThat(interner.size()).isEqualTo(oracle.size());
        assertThat(new String(interner.keyBytes(1), StandardCharsets.UTF_8)).isEqualTo(
            oracle.entrySet().stream().filter(e -> e.getValue() == 1).findFirst().orElseThrow().getKey());
    }

    @Test
    void shouldReuseReleasedIdsAndKeepLiveKeysIntactThroughCompactionAndFindThem()
    {
        final long seed = TestSeeds.seed("shouldReuseReleasedIdsAndKeepLiveKeysIntactThroughCompactionAndFindThem");
        final Random random = new Random(seed);
        final KeyInterner interner = new KeyInterner();
        final Map<String, Integer> oracle = new HashMap<>();
        final Map<Integer, String> owners = new HashMap<>();
        final ByteSlice key = new ByteSlice();
        for (int i = 0; i < 300_000; i++)
        {
            final String text = "key-" + random.nextInt(20_000) + "-" + "x".repeat(random.nextInt(20));
            key.set(text.getBytes(StandardCharsets.UTF_8));
            if (random.nextInt(3) == 0 && oracle.containsKey(text))
            {
                final int released = oracle.remove(text);
                owners.remove(released);
                interner.release(released);
                assertThat(interner.find(key)).as("seed %d: released %s", seed, text).isEqualTo(KeyInterner.MISSING);
                continue;
            }
            // find() agrees with the oracle through tombstones and compactions, and adds nothing.
            assertThat(interner.find(key)).as("seed %d: find %s", seed, text)
                .isEqualTo(oracle.getOrDefault(text, KeyInterner.MISSING));
            final int id = interner.intern(key);
            final Integer expected = oracle.putIfAbsent(text, id);
            if (null != expected)
            {
                assertThat(id).as("seed %d: id of %s", seed, text).isEqualTo(expected);
            }
            else
            {
                assertThat(owners.put(id, text)).as("seed %d: id %d handed out twice", seed, id).isNull();
            }
        }
        assertThat(interner.size()).isEqualTo(oracle.size());
        assertThat(interner.idLimit()).isLessThanOrEqualTo(20_000 * 20 + 1);
        for (final Map.Entry<String, Integer> entry : oracle.entrySet())
        {
            assertThat(new String(interner.keyBytes(entry.getValue()), StandardCharsets.UTF_8))
                .isEqualTo(entry.getKey());
        }
    }

    /** findAll() of a group, null and unknown keys among them, answers what find() answers key by key. */
    @Test
    void shouldFindAGroupOfKeysAsFindDoesOneByOne()
    {
        final long seed = TestSeeds.seed("shouldFindAGroupOfKeysAsFindDoesOneByOne");
        final Random random = new Random(seed);
        final KeyInterner interner = new KeyInterner();
        final ByteSlice[] group = new ByteSlice[100];
        for (int i = 0; i < group.length; i++)
        {
            group[i] = new ByteSlice();
        }
        final int[] ids = new int[group.length];
        for (int round = 0; round < 3_000; round++)
        {
            final ByteSlice key = group[0];
            for (int i = 0; i < 20; i++)
            {
                key.set(("k" + random.nextInt(30_000)).getBytes(StandardCharsets.UTF_8));
                if (random.nextInt(4) == 0)
                {
                    interner.release(interner.find(key));
                }
                else
                {
                    interner.intern(key);
                }
            }
            final int count = 1 + random.nextInt(group.length);
            for (int i = 0; i < count; i++)
            {
                if (random.nextInt(50) == 0)
                {
                    group[i].setNull();
                }
                else
                {
                    group[i].set(("k" + random.nextInt(40_000)).getBytes(StandardCharsets.UTF_8));
                }
            }
            interner.findAll(group, count, ids);
            for (int i = 0; i < count; i++)
            {
                assertThat(ids[i]).as("seed %d, round %d, key %s", seed, round, group[i])
                    .isEqualTo(interner.find(group[i]));
            }
        }
        assertThat(interner.size()).as("seed %d: keys were added", seed).isGreaterThan(1_000);
    }

    @Test
    void shouldFindAnEmptyKeyStoredAtTheVeryEndOfTheKeyBytes()
    {
        final KeyInterner interner = new KeyInterner();
        final ByteSlice key = new ByteSlice();
        // 64 keys of 16 bytes fill the first 1,024 bytes of key storage exactly.
        for (int i = 0; i < 64; i++)
        {
            key.set(String.format("key-%012d", i).getBytes(StandardCharsets.UTF_8));
            interner.intern(key);
        }
        key.set(new byte[0]);
        final int emptyId = interner.intern(key);
        final int[] ids = new int[1];

        interner.findAll(new ByteSlice[] { key }, 1, ids);

        assertThat(ids[0]).isEqualTo(emptyId).isEqualTo(interner.find(key));
    }

    @Test
    void shouldKeepTheNullKeyApartFromTheEmptyKey()
    {
        final KeyInterner interner = new KeyInterner();
        final ByteSlice key = new ByteSlice();

        key.setNull();
        final int nullId = interner.intern(key);
        key.set(new byte[0]);
        final int emptyId = interner.intern(key);

        assertThat(nullId).isEqualTo(KeyInterner.NULL_KEY_ID);
        assertThat(emptyId).isNotEqualTo(nullId);
        assertThat(interner.find(key)).isEqualTo(emptyId);
        key.setNull();
        assertThat(interner.find(key)).isEqualTo(KeyInterner.NULL_KEY_ID);
        assertThat(interner.keyBytes(nullId)).isNull();
    }
}

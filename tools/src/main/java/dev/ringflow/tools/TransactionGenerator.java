package dev.ringflow.tools;

import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Synthetic card transactions with a known fraud rule, for the fraud-scoring example: the same seed and card count
 * give the same transactions, one JSON line each:
 * <pre>
 * {"card":"card-0042","ts":1733000001234,"amount":912.40,"mcc":5732,"country":"GB","card_country":"DE","is_fraud":1,"fx":1.17}
 * </pre>
 * {@code fx} is the rate to euros of the transaction's country's currency ({@link #FX}: 1 in the euro countries),
 * fixed per country and drawing nothing from the random sequence, so that {@code examples/card-features.yaml}
 * ({@code amount * fx}) runs on this output as it is.
 * Each card has an issuing country and a usual amount (a median between 15 and 150, spread log-normally). Its
 * ordinary transactions are near that amount, at everyday merchants (groceries, restaurants, fuel, transport, stores),
 * at home 95% of the time (the rest is travel); 1% are large legitimate purchases (3 to 6 times the usual, at home).
 * <p>
 * <b>The fraud rule</b>, which sets {@code is_fraud}: after any ordinary transaction a card is compromised with
 * probability {@link #COMPROMISE_PROBABILITY}; it then makes a burst of 3 to 6 fraudulent transactions, 30 s to 3 min
 * apart, each 4 to 12 times its usual amount, abroad with probability 0.8, at a risky merchant (electronics, jewellery,
 * money transfer, digital goods) with probability 0.85. Every burst transaction is labelled 1, every other 0: about
 * 3% fraud. No single field tells them apart (travel is abroad, big purchases are big); the card's history does:
 * several large amounts within minutes, far above the card's last values.
 * <p>
 * Event time ({@code ts}, epoch ms) rises strictly from {@link #START_MS}, about one transaction per second over all
 * cards.
 * <p>
 * <b>Note:</b> Not thread-safe; allocates per transaction (a tool, not a hot path).
 */
final class TransactionGenerator
{
    /** 2024-12-01T00:00:00Z: the first transaction's time, so that every run of a seed is the same. */
    static final long START_MS = 1_733_011_200_000L;
    static final double COMPROMISE_PROBABILITY = 0.007;
    static final int DEFAULT_CARDS = 500;

    /** Euros per unit of each country's currency, as the JSON writes it; the euro countries are absent (1). */
    static final Map<String, String> FX = Map.of("GB", "1.17", "US", "0.92", "BR", "0.17", "NG", "0.00058",
        "RU", "0.0098", "CN", "0.13");

    private static final String[] COUNTRIES = { "DE", "DE", "DE", "FR", "FR", "GB", "GB", "US", "US", "NL" };
    private static final String[] ABROAD = { "DE", "FR", "GB", "US", "NL", "ES", "IT", "BR", "NG", "RU", "CN" };
    private static final int[] EVERYDAY_MCC = { 5411, 5812, 5541, 4111, 5311, 5999 };
    private static final int[] BIG_PURCHASE_MCC = { 5732, 5944, 5311 };
    private static final int[] RISKY_MCC = { 5732, 5944, 4829, 5816 };

    private final Random random;
    private final String[] cardIds;
    private final String[] cardCountries;
    private final double[] medians;
    private final boolean[] compromised;
    private final PriorityQueue<Pending> burst = new PriorityQueue<>();
    private long lastMs = START_MS;
    private long pendingSequence;

    /**
     * @param seed  the seed of every random choice.
     * @param cards how many cards transact (card-0000 ..).
     */
    TransactionGenerator(final long seed, final int cards)
    {
        if (cards < 1)
        {
            throw new IllegalArgumentException("cards must be >= 1, was " + cards);
        }
        random = new Random(seed);
        cardIds = new String[cards];
        cardCountries = new String[cards];
        medians = new double[cards];
        compromised = new boolean[cards];
        for (int c = 0; c < cards; c++)
        {
            cardIds[c] = String.format("card-%04d", c);
            cardCountries[c] = COUNTRIES[random.nextInt(COUNTRIES.length)];
            medians[c] = Math.exp(Math.log(15) + random.nextDouble() * (Math.log(150) - Math.log(15)));
        }
    }

    /** The next transaction, in event-time order. */
    Transaction next()
    {
        // About one transaction a second over all cards: exponential gaps, at least 1 ms so that times rise.
        final long ordinaryMs = lastMs + 1 + (long)(-1000 * Math.log(1 - random.nextDouble()));
        final Pending due = burst.peek();
        if (null != due && due.timeMs <= ordinaryMs)
        {
            burst.poll();
            lastMs = Math.max(due.timeMs, lastMs + 1);
            if (due.last)
            {
                compromised[due.card] = false;
            }
            return fraudulent(due.card, lastMs);
        }
        lastMs = ordinaryMs;
        final int card = random.nextInt(cardIds.length);
        final Transaction ordinary = ordinary(card, lastMs);
        if (!compromised[card] && random.nextDouble() < COMPROMISE_PROBABILITY)
        {
            compromise(card);
        }
        return ordinary;
    }

    private Transaction ordinary(final int card, final long timeMs)
    {
        final String home = cardCountries[card];
        if (random.nextDouble() < 0.01)
        {
            return transaction(card, timeMs, medians[card] * (3 + 3 * random.nextDouble()),
                pick(BIG_PURCHASE_MCC), home, false);
        }
        final String country = random.nextDouble() < 0.95 ? home : abroad(home);
        return transaction(card, timeMs, medians[card] * Math.exp(0.5 * random.nextGaussian()), pick(EVERYDAY_MCC),
            country, false);
    }

    private Transaction fraudulent(final int card, final long timeMs)
    {
        final String home = cardCountries[card];
        final String country = random.nextDouble() < 0.8 ? abroad(home) : home;
        final int mcc = random.nextDouble() < 0.85 ? pick(RISKY_MCC) : pick(EVERYDAY_MCC);
        return transaction(card, timeMs, medians[card] * (4 + 8 * random.nextDouble()), mcc, country, true);
    }

    private void compromise(final int card)
    {
        compromised[card] = true;
        final int length = 3 + random.nextInt(4);
        long timeMs = lastMs;
        for (int i = 0; i < length; i++)
        {
            timeMs += 30_000 + random.nextInt(150_000);
            burst.add(new Pending(timeMs, pendingSequence++, card, i == length - 1));
        }
    }

    private Transaction transaction(final int card, final long timeMs, final double amount, final int mcc,
        final String country, final boolean fraud)
    {
        // Whole cents, at least one: the JSON text is then the exact decimal amount.
        final long cents = Math.max(1, Math.round(amount * 100));
        return new Transaction(cardIds[card], timeMs, cents, mcc, country, cardCountries[card], fraud);
    }

    private String abroad(final String home)
    {
        String country;
        do
        {
            country = ABROAD[random.nextInt(ABROAD.length)];
        }
        while (country.equals(home));
        return country;
    }

    private int pick(final int[] choices)
    {
        return choices[random.nextInt(choices.length)];
    }

    /** A scheduled burst transaction; ordered by time, then by when it was scheduled. */
    private record Pending(long timeMs, long sequence, int card, boolean last) implements Comparable<Pending>
    {
        @Override
        public int compareTo(final Pending other)
        {
            final int byTime = Long.compare(timeMs, other.timeMs);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    /**
     * One transaction.
     *
     * @param amountCents the amount in cents (the JSON has it in units with two decimals).
     * @param fraud       the label: part of a burst of a compromised card.
     */
    record Transaction(String card, long timeMs, long amountCents, int mcc, String country, String cardCountry,
        boolean fraud)
    {
        double amount()
        {
            return amountCents / 100.0;
        }

        /** The JSON line, without a line break. */
        String toJson()
        {
            final long cents = amountCents % 100;
            return "{\"card\":\"" + card + "\",\"ts\":" + timeMs + ",\"amount\":" + amountCents / 100 + "." +
                (cents < 10 ? "0" : "") + cents + ",\"mcc\":" + mcc + ",\"country\":\"" + country +
                "\",\"card_country\":\"" + cardCountry + "\",\"is_fraud\":" + (fraud ? 1 : 0) + ",\"fx\":" +
                fx() + "}";
        }

        /** The rate to euros of {@link #country()}'s currency, as the JSON writes it. */
        String fx()
        {
            return FX.getOrDefault(country, "1");
        }
    }
}

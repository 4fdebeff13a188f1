using System.Numerics;

namespace Gateway.LoadTest;

/// <summary>
/// A log-linear latency histogram of non-negative values (Stopwatch ticks): exact below 128, then 64 buckets per
/// power of two (under 1.6% error), plus the exact maximum. Recording is an array increment; no allocation.
/// </summary>
internal sealed class Histogram
{
    private const int Linear = 128;
    private const int SubBuckets = 64;
    private const int BucketCount = Linear + (56 * SubBuckets);

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }

        _counts[Index(value)]++;
        Count++;
        if (value > Max)
        {
            Max = value;
        }
    }

    public void Add(Histogram other)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1): the midpoint of its bucket, at most the maximum.</summary>
    public long Quantile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(Midpoint(i), Max);
            }
        }

        return Max;
    }

    /// <summary>Non-empty buckets as index, count pairs (for the worker's report to the harness).</summary>
    public List<long> ToSparse()
    {
        var pairs = new List<long>();
        for (int i = 0; i < BucketCount; i++)
        {
            if (_counts[i] != 0)
            {
                pairs.Add(i);
                pairs.Add(_counts[i]);
            }
        }

        return pairs;
    }

    public static Histogram FromSparse(IReadOnlyList<long> pairs, long max)
    {
        var histogram = new Histogram();
        for (int i = 0; i + 1 < pairs.Count; i += 2)
        {
            histogram._counts[pairs[i]] += pairs[i + 1];
            histogram.Count += pairs[i + 1];
        }

        histogram.Max = max;
        return histogram;
    }

    private static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        int msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int shift = msb - 6;
        return Linear + ((shift - 1) * SubBuckets) + (int)(value >> shift) - SubBuckets;
    }

    private static long Midpoint(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        int shift = ((index - Linear) / SubBuckets) + 1;
        long sub = ((index - Linear) % SubBuckets) + SubBuckets;
        return (sub << shift) + ((1L << shift) / 2);
    }
}

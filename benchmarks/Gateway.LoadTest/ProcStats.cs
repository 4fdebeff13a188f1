using System.Globalization;

namespace Gateway.LoadTest;

/// <summary>Reads CPU time and memory of processes and cores from Linux's /proc.</summary>
internal static class ProcStats
{
    /// <summary>/proc reports CPU time in clock ticks of this length (USER_HZ, 100 on Linux).</summary>
    private const double SecondsPerTick = 0.01;

    /// <summary>User + system CPU seconds of a process, or NaN when it cannot be read.</summary>
    public static double ProcessCpuSeconds(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces: fields after it start past the last ')'.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
            long user = long.Parse(fields[11], CultureInfo.InvariantCulture);
            long system = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (user + system) * SecondsPerTick;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    /// <summary>Resident set size of a process in KB (VmRSS), or -1 when it cannot be read.</summary>
    public static long RssKb(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return -1;
    }

    /// <summary>Busy and total ticks of each core (from /proc/stat; busy excludes idle and iowait).</summary>
    public static (long Busy, long Total)[] CoreTicks()
    {
        var cores = new List<(long, long)>();
        try
        {
            foreach (string line in File.ReadLines("/proc/stat"))
            {
                if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.StartsWith("cpu ", StringComparison.Ordinal))
                {
                    continue;
                }

                long[] values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
                    .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                // user nice system idle iowait irq softirq steal (guest time is already inside user).
                long total = values.Take(8).Sum();
                long idle = values[3] + values[4];
                cores.Add((total - idle, total));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return [.. cores];
    }

    /// <summary>Per-core busy fraction between two <see cref="CoreTicks"/> readings.</summary>
    public static List<double> CoreBusy((long Busy, long Total)[] before, (long Busy, long Total)[] after)
    {
        var busy = new List<double>();
        for (int i = 0; i < Math.Min(before.Length, after.Length); i++)
        {
            long total = after[i].Total - before[i].Total;
            busy.Add(total > 0 ? (double)(after[i].Busy - before[i].Busy) / total : double.NaN);
        }

        return busy;
    }
}

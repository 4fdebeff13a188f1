using Gateway.Internal.Resumption;

namespace Gateway.Tests;

/// <summary>The replay buffer against a plain list of what it should hold, over random frames, acks and bounds.</summary>
public sealed class ReplayBufferTests
{
    [Theory]
    [InlineData(1, 64 * 1024)]
    [InlineData(2, 300)]
    [InlineData(3, 10_000)]
    public void Holds_exactly_the_unacknowledged_frames_within_its_bound(int seed, int maxBytes)
    {
        var random = new Random(seed);
        var buffer = new ReplayBuffer(maxBytes);
        var expected = new List<(long Sequence, byte[] Frame)>();
        long acknowledged = 0;
        for (int step = 0; step < 5_000; step++)
        {
            if (random.Next(4) == 0 && expected.Count > 0)
            {
                acknowledged = Math.Max(acknowledged, expected[random.Next(expected.Count)].Sequence);
                buffer.Acknowledge(acknowledged);
                expected.RemoveAll(e => e.Sequence <= acknowledged);
            }
            else
            {
                // Mostly small frames, now and then one bigger than a segment.
                byte[] frame = new byte[random.Next(8) == 0 ? random.Next(4_000, 9_000) : random.Next(0, 200)];
                random.NextBytes(frame);
                long sequence = buffer.Add(frame);
                expected.Add((sequence, frame));
                while (Held(expected) > maxBytes)
                {
                    expected.RemoveAt(0);
                }
            }

            Assert.Equal(Held(expected), buffer.Bytes);
            long after = expected.Count > 0 ? expected[0].Sequence - 1 : buffer.Last;
            Assert.True(buffer.CanResumeAfter(after));
            Assert.False(buffer.CanResumeAfter(buffer.Last + 1));
            if (step % 97 == 0)
            {
                byte[][] held = [.. buffer.After(after).Select(static m => m.ToArray())];
                Assert.Equal(expected.Count, held.Length);
                for (int i = 0; i < held.Length; i++)
                {
                    Assert.Equal(expected[i].Frame, held[i]);
                }
            }
        }

        buffer.Clear();
        Assert.Equal(0, buffer.Bytes);
    }

    private static long Held(List<(long Sequence, byte[] Frame)> frames) =>
        frames.Sum(static e => (long)e.Frame.Length + ReplayBuffer.EntryOverhead);

    [Fact]
    public void A_client_that_missed_a_dropped_frame_cannot_resume()
    {
        // 3 × (30 bytes + the entry's 32) fit in 190; a fourth does not.
        var buffer = new ReplayBuffer(190);
        for (int i = 0; i < 10; i++)
        {
            buffer.Add(new byte[30]);
        }

        // The last three frames (8, 9, 10) are held: a client with 7 can resume, one with 6 cannot.
        Assert.True(buffer.Overflowed);
        Assert.Equal(8, buffer.FirstRetained);
        Assert.True(buffer.CanResumeAfter(7));
        Assert.False(buffer.CanResumeAfter(6));
        Assert.Equal(3, buffer.After(7).Count());
    }
}

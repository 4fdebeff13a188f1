using Gateway.Internal;

// These tests inspect whether EnterAsync completed synchronously, which is the point of the lock.
#pragma warning disable CA2012

namespace Gateway.Tests;

public sealed class SendLockTests
{
    [Fact]
    public async Task Only_one_holder_at_a_time_and_every_waiter_gets_a_turn()
    {
        using var sendLock = new SendLock();
        int inside = 0;
        int maxInside = 0;
        int turns = 0;

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 500; i++)
            {
                await sendLock.EnterAsync();
                int now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                if (i % 7 == 0)
                {
                    await Task.Yield();
                }

                Interlocked.Decrement(ref inside);
                Interlocked.Increment(ref turns);
                sendLock.Exit();
            }
        })));

        Assert.Equal(1, maxInside);
        Assert.Equal(16 * 500, turns);
    }

    [Fact]
    public async Task An_uncontended_enter_completes_synchronously_and_a_contended_one_waits_for_exit()
    {
        using var sendLock = new SendLock();
        Assert.True(sendLock.EnterAsync().IsCompletedSuccessfully);

        Task second = sendLock.EnterAsync().AsTask();
        Assert.False(second.IsCompleted);

        sendLock.Exit();
        await second.WaitAsync(TimeSpan.FromSeconds(30));
        sendLock.Exit();
        Assert.True(sendLock.EnterAsync().IsCompletedSuccessfully);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

using Gateway.Internal;

namespace Gateway.Tests;

/// <summary>
/// The frame-header reader behind the early 1009 (in memory, beside the loopback test in <see cref="LimitsTests"/>):
/// headers split across reads, messages in continuation frames, control frames between them.
/// </summary>
public sealed class MessageSizeGuardTests
{
    private const int Limit = 1000;

    /// <summary>A masked client frame header announcing <paramref name="length"/> bytes.</summary>
    private static byte[] Header(byte opcode, bool fin, long length)
    {
        byte first = (byte)((fin ? 0x80 : 0) | opcode);
        byte[] mask = [1, 2, 3, 4];
        return length switch
        {
            < 126 => [first, (byte)(0x80 | length), .. mask],
            <= ushort.MaxValue => [first, 0x80 | 126, (byte)(length >> 8), (byte)length, .. mask],
            _ => [first, 0x80 | 127, .. BitConverter.GetBytes(length).Reverse(), .. mask],
        };
    }

    private static byte[] Frame(byte opcode, bool fin, int length) => [.. Header(opcode, fin, length), .. new byte[length]];

    /// <summary>Reads <paramref name="wire"/> through a guard in reads of <paramref name="chunk"/> bytes.</summary>
    private static bool TooBig(byte[] wire, int chunk)
    {
        using var guard = new MessageSizeGuard(new MemoryStream(wire), Limit);
        byte[] buffer = new byte[chunk];
        while (guard.Read(buffer) > 0)
        {
        }

        return guard.TooBig;
    }

    public static TheoryData<int> Chunks => [1, 3, 7, 64, 4096];

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Messages_up_to_the_limit_pass_with_pings_between_their_fragments(int chunk)
    {
        byte[] wire =
        [
            .. Frame(0x1, fin: true, Limit),
            .. Frame(0x2, fin: false, 600),
            .. Frame(0x9, fin: true, 100), // a ping inside the message counts for nothing
            .. Frame(0x0, fin: true, 400),
            .. Frame(0x1, fin: true, 10),
        ];

        Assert.False(TooBig(wire, chunk));
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public void A_message_whose_fragments_add_up_past_the_limit_is_too_big(int chunk)
    {
        byte[] wire = [.. Frame(0x1, fin: false, 600), .. Frame(0x0, fin: false, 300), .. Frame(0x0, fin: true, 101)];

        Assert.True(TooBig(wire, chunk));
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public void A_header_announcing_more_is_too_big_before_its_payload(int chunk)
    {
        Assert.True(TooBig(Header(0x1, fin: true, 5_000_000_000), chunk));
        Assert.True(TooBig(Header(0x2, fin: true, 70_000), chunk));
    }
}

namespace Polaris.Collector.Scheduler;

/// <summary>Walks the <c>key=value key=value ...</c> message of an accounting record without copying it.</summary>
/// <remarks>
/// Attributes are separated by spaces; PBS writes a value holding spaces in double quotes
/// (<c>jobname="my run"</c>, <c>Resource_List.select="2:ncpus=64"</c>), so a space inside quotes does not separate.
/// A value wholly in quotes is given without them. A token without <c>=</c> is passed over: the collector reads a
/// few known keys and leaves the rest of the record, whatever a PBS version adds, alone.
/// </remarks>
internal ref struct PbsAttributes(ReadOnlySpan<byte> message)
{
    private ReadOnlySpan<byte> _rest = message;

    /// <summary>Set when a quote opened and the line ended before it closed: the record cannot be split reliably.</summary>
    public bool Unterminated { get; private set; }

    /// <summary>Moves to the next attribute.</summary>
    /// <returns>False at the end of the message, or at an unterminated quote.</returns>
    public bool Next(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        while (true)
        {
            _rest = _rest.TrimStart((byte)' ');
            if (_rest.IsEmpty || !TakeToken(out var token))
            {
                key = value = default;
                return false;
            }
            int equals = token.IndexOf((byte)'=');
            if (equals > 0)
            {
                key = token[..equals];
                value = Unquote(token[(equals + 1)..]);
                return true;
            }
        }
    }

    private bool TakeToken(out ReadOnlySpan<byte> token)
    {
        bool quoted = false;
        int i = 0;
        for (; i < _rest.Length && (quoted || _rest[i] != (byte)' '); i++)
        {
            quoted ^= _rest[i] == (byte)'"';
        }
        token = _rest[..i];
        _rest = _rest[i..];
        Unterminated = quoted;
        return !quoted;
    }

    private static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> value) =>
        value.Length >= 2 && value[0] == (byte)'"' && value[^1] == (byte)'"' ? value[1..^1] : value;
}

using Polaris.Collector.Dashboard;

namespace Polaris.Collector.Tests.Dashboard;

/// <summary>The dashboard's escaping: what HTML and XML give meaning to is escaped, and what XML may not hold is
/// replaced, so a fragment parses as SVG whatever a node named its modules.</summary>
public class MarkupTests
{
    [Theory]
    [InlineData("numpy", "numpy")]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("\"' & x", "&quot;&#39; &amp; x")]
    [InlineData("a\u0001b\u007Fc\u0085d", "a\uFFFDb\uFFFDc\uFFFDd")]
    [InlineData("pair \uD83D\uDE00", "pair \uD83D\uDE00")]
    [InlineData("tab\tline\n", "tab\tline\n")]
    public void Escape_leaves_text_that_neither_html_nor_xml_reads_as_markup(string text, string escaped)
    {
        Assert.Equal(escaped, Markup.Escape(text));
    }

    [Fact]
    public void A_lone_surrogate_is_replaced()
    {
        // Not an InlineData: an attribute stores its strings as UTF-8, which has no lone surrogate.
        Assert.Equal("lone \uFFFD high", Markup.Escape("lone " + (char)0xD800 + " high"));
    }

    [Fact]
    public void A_short_label_never_cuts_a_character_in_half()
    {
        Assert.Equal("abc", Markup.Short("abc", 5));
        Assert.Equal("abc\u2026", Markup.Short("abcdef", 4));
        Assert.Equal("ab\u2026", Markup.Short("ab\uD83D\uDE00cdef", 4));
    }
}

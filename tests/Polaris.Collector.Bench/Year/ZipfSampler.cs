namespace Polaris.Collector.Bench.Year;

/// <summary>Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s.</summary>
internal sealed class ZipfSampler
{
    private readonly double[] _cumulative;

    public ZipfSampler(int n, double s)
    {
        _cumulative = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += 1 / Math.Pow(i + 1, s);
            _cumulative[i] = sum;
        }
        for (int i = 0; i < n; i++)
        {
            _cumulative[i] /= sum;
        }
    }

    public int Next(Random random)
    {
        int found = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(found < 0 ? ~found : found, _cumulative.Length - 1);
    }
}

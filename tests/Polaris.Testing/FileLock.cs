namespace Polaris.Testing;

/// <summary>An exclusive lock between processes, held by keeping a file open without sharing.</summary>
public static class FileLock
{
    public static FileStream Acquire(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }
}

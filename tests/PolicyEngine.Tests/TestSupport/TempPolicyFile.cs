namespace PolicyEngine.Tests.TestSupport;

/// <summary>A policy file in a fresh temporary folder, deleted with the folder at the end of the test.</summary>
internal sealed class TempPolicyFile : IDisposable
{
    public TempPolicyFile(string content, string name = "policy.json")
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "policyengine-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, name);
        Write(content);
    }

    public string Directory { get; }

    public string Path { get; }

    public void Write(string content) => File.WriteAllText(Path, content);

    public string Sibling(string name) => System.IO.Path.Combine(Directory, name);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file open; the temp folder is cleaned by the OS later.
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PolicyEngine.Hosting;

/// <summary>Where a registered engine's policy file is, and loading it with errors that say what to do.</summary>
internal static class PolicyFiles
{
    /// <summary>
    /// The full path of <paramref name="path"/>: as given when rooted, else under the host's content root when the
    /// container has an <see cref="IHostEnvironment"/>, else under <see cref="AppContext.BaseDirectory"/>.
    /// </summary>
    public static string Resolve(string path, IServiceProvider services) =>
        Path.GetFullPath(path, BaseDirectory(services).Directory);

    /// <summary>Loads the file; a missing file or a directory is a <see cref="FileNotFoundException"/> that says
    /// how a relative path was resolved, an invalid document a <see cref="PolicyValidationException"/> naming the file.</summary>
    public static Policy Load(string path, IServiceProvider services)
    {
        var fullPath = Resolve(path, services);
        if (Directory.Exists(fullPath))
        {
            throw new FileNotFoundException($"The policy file {fullPath} is a directory, not a file.", fullPath);
        }

        if (!File.Exists(fullPath))
        {
            var (directory, name) = BaseDirectory(services);
            var resolved = Path.IsPathRooted(path)
                ? ""
                : $": the relative path '{path}' is resolved against {name}, {directory}; give an absolute path or change the content root";
            throw new FileNotFoundException($"The policy file {fullPath} does not exist{resolved}.", fullPath);
        }

        return Policy.LoadFile(fullPath);
    }

    private static (string Directory, string Name) BaseDirectory(IServiceProvider services) =>
        services.GetService<IHostEnvironment>() is { ContentRootPath: { Length: > 0 } root }
            ? (root, "the host's content root (IHostEnvironment.ContentRootPath)")
            : (AppContext.BaseDirectory, "the application's directory (AppContext.BaseDirectory)");
}

using Polaris.Collector.Cli;

// polaris-collector [serve] [options]; the commands and their usage are in Cli/.
return await CommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);

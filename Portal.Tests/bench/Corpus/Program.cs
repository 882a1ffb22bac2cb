// Memory held by Portal's offline breached-password corpus, and process CPU per lookup (SHA-1 of the password and one
// hash-set probe, as CompromisedCredentials does when the range API cannot answer). Prints a small Markdown table.
using System.Diagnostics;
using Portal.Server.ThreatProtection;

var lookups = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000;
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
var before = GC.GetTotalMemory(forceFullCollection: true);
var corpus = new BreachedPasswordCorpus();
var after = GC.GetTotalMemory(forceFullCollection: true);

// Half breached, half not; distinct strings so nothing is cached.
var passwords = Enumerable.Range(0, 1024).Select(i => i % 2 == 0 ? $"password{i}" : $"Unbreached-{i}-Passw0rd!").ToArray();
var found = 0;
for (var i = 0; i < 100_000; i++) found += corpus.Contains(passwords[i & 1023]) ? 1 : 0; // warm-up
var process = Process.GetCurrentProcess();
var cpu = process.TotalProcessorTime;
var clock = Stopwatch.StartNew();
for (var i = 0; i < lookups; i++) found += corpus.Contains(passwords[i & 1023]) ? 1 : 0;
clock.Stop();
process.Refresh();
var cpuUsed = process.TotalProcessorTime - cpu;

Console.WriteLine("| figure | value |");
Console.WriteLine("|---|---|");
Console.WriteLine($"| passwords in the corpus | {corpus.Count:N0} |");
Console.WriteLine($"| managed memory held by the corpus | {(after - before) / 1024.0 / 1024.0:F2} MB |");
Console.WriteLine($"| lookups | {lookups:N0} |");
Console.WriteLine($"| process CPU per lookup | {cpuUsed.TotalMicroseconds / lookups:F3} µs |");
Console.WriteLine($"| wall time per lookup | {clock.Elapsed.TotalMicroseconds / lookups:F3} µs |");
Console.Error.WriteLine($"({found} found)");

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Microsoft.Extensions.Options;
using JsEngine = Jint.Engine;

namespace Portal.Server.Triggers;

/// <summary>
/// Runs a Lambda-style handler (<c>exports.handler = async (event, context) =&gt; ...</c>, or callback style) in-process
/// with Jint, sandboxed: no CLR access (AllowClr is never set), no files or network, <c>require</c> refused, and limits on
/// time, statements, memory and recursion. console.log/info/warn/error are captured as the invocation's logs.
/// </summary>
public sealed class InlineJavaScript(IOptions<TriggerOptions> options)
{
    const int MaxLogChars = 64 * 1024;

    // The Node.js-like surroundings of the handler; Jint offers no host objects beyond what is set here.
    const string Prelude = """
        var module = { exports: {} };
        var exports = module.exports;
        var require = function (name) {
          throw new Error("require('" + name + "') is not available: inline triggers run sandboxed, without modules, files or network access.");
        };
        var console = (function (write) {
          function text(args) {
            return Array.prototype.map.call(args, function (x) {
              if (typeof x === 'string') return x;
              if (x instanceof Error) return x.stack || String(x);
              try { var s = JSON.stringify(x); return s === undefined ? String(x) : s; } catch (e) { return String(x); }
            }).join(' ');
          }
          return {
            log: function () { write('INFO', text(arguments)); },
            info: function () { write('INFO', text(arguments)); },
            debug: function () { write('DEBUG', text(arguments)); },
            warn: function () { write('WARN', text(arguments)); },
            error: function () { write('ERROR', text(arguments)); },
          };
        })(__portalConsole);
        function __portalRun(eventJson, contextJson) {
          var event = JSON.parse(eventJson);
          var context = JSON.parse(contextJson);
          return new Promise(function (resolve, reject) {
            var handler = module.exports && module.exports.handler;
            if (typeof handler !== 'function') handler = exports.handler;
            if (typeof handler !== 'function') throw new Error('The code must set exports.handler to a function.');
            var done = false;
            function callback(error, result) {
              if (done) return;
              done = true;
              if (error) reject(error); else resolve(result);
            }
            context.succeed = function (result) { callback(null, result); };
            context.fail = function (error) { callback(error || new Error('failed')); };
            context.done = callback;
            var returned = handler(event, context, callback);
            if (returned && typeof returned.then === 'function') returned.then(function (v) { callback(null, v); }, function (e) { callback(e || new Error('rejected')); });
            else if (handler.length < 3) callback(null, returned);
          }).then(function (v) { return JSON.stringify(v === undefined ? null : v); });
        }
        """;

    static readonly Prepared<Script> PreparedPrelude = JsEngine.PrepareScript(Prelude, "portal-prelude.js");

    // Parsed scripts by the hash of their source: a trigger's code is parsed once, not per sign-in.
    readonly ConcurrentDictionary<string, Prepared<Script>> scripts = new();
    readonly ConcurrentDictionary<string, Prepared<Module>> modules = new();

    /// <summary>Code in ES module form (<c>export const handler = ...</c>, Node's index.mjs) rather than CommonJS.</summary>
    static bool IsModule(string code) => System.Text.RegularExpressions.Regex.IsMatch(code, @"(^|[\n;])\s*export\s+(const|let|var|async|function|default|\{)");

    /// <summary>Parses the code, or says where it is wrong (for PutTriggerFunction).</summary>
    public static string? SyntaxError(string code)
    {
        try
        {
            if (IsModule(code)) JsEngine.PrepareModule(code, "index.mjs");
            else JsEngine.PrepareScript(code, "index.js");
            return null;
        }
        catch (Exception e) when (e is ScriptPreparationException or Acornima.SyntaxErrorException or Acornima.ParseErrorException or JavaScriptException)
        {
            return (e.InnerException ?? e).Message;
        }
    }

    public TargetAnswer Run(string code, string eventJson, string functionName, CancellationToken ct)
    {
        var o = options.Value;
        var timeout = TimeSpan.FromSeconds(o.TimeoutSeconds);
        var logs = new StringBuilder();
        void Write(string level, string text)
        {
            if (logs.Length >= MaxLogChars) return;
            logs.Append(level).Append('\t').Append(text).Append('\n');
            if (logs.Length > MaxLogChars) logs.Length = MaxLogChars;
        }

        var started = Environment.TickCount64;
        try
        {
            var engine = new JsEngine(e =>
            {
                e.LimitMemory(o.MemoryLimitMegabytes * 1024L * 1024L);
                e.TimeoutInterval(timeout);
                e.MaxStatements(o.MaxStatements);
                e.LimitRecursion(o.MaxRecursion);
                e.MaxArraySize(10_000_000);
                e.RegexTimeoutInterval(TimeSpan.FromSeconds(1));
                e.CancellationToken(ct);
            });
            engine.SetValue("__portalConsole", new Action<string, string>(Write));
            engine.Execute(PreparedPrelude);
            if (IsModule(code))
            {
                // An ES module's exported handler becomes the CommonJS one the runner calls.
                engine.Modules.Add("index.mjs", builder => builder.AddModule(PrepareModule(code)));
                var exported = engine.Modules.Import("index.mjs");
                var handler = exported.Get("handler");
                if (handler.IsUndefined()) handler = exported.Get("default") is Jint.Native.Object.ObjectInstance d ? d.Get("handler") : JsValue.Undefined;
                engine.GetValue("module").AsObject().Get("exports").AsObject().Set("handler", handler);
            }
            else engine.Execute(Prepare(code));
            var context = System.Text.Json.JsonSerializer.Serialize(new
            {
                functionName, functionVersion = "$LATEST", awsRequestId = Guid.NewGuid().ToString(),
                memoryLimitInMB = o.MemoryLimitMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                callbackWaitsForEmptyEventLoop = true,
            });
            var result = engine.Invoke("__portalRun", eventJson, context).UnwrapIfPromise(timeout);
            return new TargetAnswer(result.IsString() ? result.AsString() : "null", Logs(logs));
        }
        catch (Exception e) when (e is TimeoutException or ExecutionCanceledException || (e is PromiseRejectedException && Environment.TickCount64 - started >= timeout.TotalMilliseconds))
        {
            throw new TriggerFunctionException($"Task timed out after {timeout.TotalSeconds:0.00} seconds", Logs(logs), timedOut: true);
        }
        catch (MemoryLimitExceededException)
        {
            throw new TriggerFunctionException($"Runtime exited: the function used more than its {o.MemoryLimitMegabytes} MB of memory", Logs(logs));
        }
        catch (StatementsCountOverflowException)
        {
            throw new TriggerFunctionException($"Runtime exited: the function ran more than {o.MaxStatements} statements", Logs(logs));
        }
        catch (RecursionDepthOverflowException)
        {
            throw new TriggerFunctionException("RangeError: Maximum call stack size exceeded", Logs(logs));
        }
        catch (PromiseRejectedException e)
        {
            throw new TriggerFunctionException(ErrorMessage(e.RejectedValue), Logs(logs));
        }
        catch (JavaScriptException e)
        {
            throw new TriggerFunctionException(ErrorMessage(e.Error), Logs(logs));
        }
        catch (Exception e) when (e is ScriptPreparationException or Acornima.SyntaxErrorException or Acornima.ParseErrorException)
        {
            throw new TriggerFunctionException($"SyntaxError: {(e.InnerException ?? e).Message}", Logs(logs));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new TriggerFunctionException(e.Message, Logs(logs));
        }
    }

    Prepared<Script> Prepare(string code) => Cached(scripts, code, c => JsEngine.PrepareScript(c, "index.js"));

    Prepared<Module> PrepareModule(string code) => Cached(modules, code, c => JsEngine.PrepareModule(c, "index.mjs"));

    /// <summary>Parsed code by the hash of its source, in a bounded cache: drafts under test come and go.</summary>
    static T Cached<T>(ConcurrentDictionary<string, T> cache, string code, Func<string, T> parse)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
        if (cache.TryGetValue(key, out var parsed)) return parsed;
        parsed = parse(code);
        if (cache.Count > 256) cache.Clear();
        cache[key] = parsed;
        return parsed;
    }

    /// <summary>What Lambda reports as errorMessage: the error's message, or the thrown value as text.</summary>
    static string ErrorMessage(JsValue error)
    {
        if (error is Jint.Native.Object.ObjectInstance o && o.Get("message") is { } m && !m.IsUndefined()) return m.ToString();
        return error.IsUndefined() || error.IsNull() ? "Unknown error" : error.ToString();
    }

    static string? Logs(StringBuilder logs) => logs.Length == 0 ? null : logs.ToString();
}

namespace Portal.Server.HostedUi;

/// <summary>The passkey pages' words in the hosted UI's five languages (kept apart from <see cref="Texts"/>'s table).</summary>
public static class PasskeyTexts
{
    public static string? Say(string locale, string key) =>
        (Words.TryGetValue(locale, out var words) ? words : Words["en"]).GetValueOrDefault(key);

    public static IEnumerable<string> Keys => Words["en"].Keys;

    public static bool Has(string locale, string key) => Words.TryGetValue(locale, out var w) && w.ContainsKey(key);

    static readonly Dictionary<string, Dictionary<string, string>> Words = new()
    {
        ["en"] = new()
        {
            ["PasskeySignIn"] = "Sign in with a passkey",
            ["PasskeyCancelled"] = "The passkey was not used. Try again, or sign in with your password.",
            ["PasskeyFailed"] = "That passkey could not sign you in. Try again, or sign in with your password.",
            ["PasskeyAddTitle"] = "Add a passkey",
            ["PasskeyAddDescription"] = "Sign in next time with your fingerprint, face, screen lock or security key instead of your password.",
            ["PasskeyAdd"] = "Add a passkey",
            ["PasskeyAdded"] = "Your passkey was added. You can now sign in with it.",
            ["PasskeyAddFailed"] = "The passkey could not be added. Try again.",
            ["PasskeyCount"] = "Passkeys on your account: {0}",
            ["PasskeyUnavailable"] = "Passkeys are not enabled for this app.",
        },
        ["de"] = new()
        {
            ["PasskeySignIn"] = "Mit einem Passkey anmelden",
            ["PasskeyCancelled"] = "Der Passkey wurde nicht verwendet. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.",
            ["PasskeyFailed"] = "Mit diesem Passkey ist keine Anmeldung möglich. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.",
            ["PasskeyAddTitle"] = "Passkey hinzufügen",
            ["PasskeyAddDescription"] = "Melden Sie sich künftig mit Fingerabdruck, Gesicht, Bildschirmsperre oder Sicherheitsschlüssel statt mit Ihrem Passwort an.",
            ["PasskeyAdd"] = "Passkey hinzufügen",
            ["PasskeyAdded"] = "Ihr Passkey wurde hinzugefügt. Sie können sich jetzt damit anmelden.",
            ["PasskeyAddFailed"] = "Der Passkey konnte nicht hinzugefügt werden. Versuchen Sie es erneut.",
            ["PasskeyCount"] = "Passkeys in Ihrem Konto: {0}",
            ["PasskeyUnavailable"] = "Passkeys sind für diese App nicht aktiviert.",
        },
        ["fr"] = new()
        {
            ["PasskeySignIn"] = "Se connecter avec une clé d'accès",
            ["PasskeyCancelled"] = "La clé d'accès n'a pas été utilisée. Réessayez ou connectez-vous avec votre mot de passe.",
            ["PasskeyFailed"] = "Cette clé d'accès n'a pas permis de vous connecter. Réessayez ou connectez-vous avec votre mot de passe.",
            ["PasskeyAddTitle"] = "Ajouter une clé d'accès",
            ["PasskeyAddDescription"] = "Connectez-vous la prochaine fois avec votre empreinte, votre visage, le verrouillage de l'écran ou une clé de sécurité au lieu de votre mot de passe.",
            ["PasskeyAdd"] = "Ajouter une clé d'accès",
            ["PasskeyAdded"] = "Votre clé d'accès a été ajoutée. Vous pouvez maintenant vous connecter avec elle.",
            ["PasskeyAddFailed"] = "La clé d'accès n'a pas pu être ajoutée. Réessayez.",
            ["PasskeyCount"] = "Clés d'accès de votre compte : {0}",
            ["PasskeyUnavailable"] = "Les clés d'accès ne sont pas activées pour cette application.",
        },
        ["es"] = new()
        {
            ["PasskeySignIn"] = "Iniciar sesión con una llave de acceso",
            ["PasskeyCancelled"] = "No se usó la llave de acceso. Inténtelo de nuevo o inicie sesión con su contraseña.",
            ["PasskeyFailed"] = "Esa llave de acceso no pudo iniciar su sesión. Inténtelo de nuevo o inicie sesión con su contraseña.",
            ["PasskeyAddTitle"] = "Añadir una llave de acceso",
            ["PasskeyAddDescription"] = "La próxima vez inicie sesión con su huella, su rostro, el bloqueo de pantalla o una llave de seguridad en lugar de su contraseña.",
            ["PasskeyAdd"] = "Añadir una llave de acceso",
            ["PasskeyAdded"] = "Se añadió su llave de acceso. Ya puede iniciar sesión con ella.",
            ["PasskeyAddFailed"] = "No se pudo añadir la llave de acceso. Inténtelo de nuevo.",
            ["PasskeyCount"] = "Llaves de acceso de su cuenta: {0}",
            ["PasskeyUnavailable"] = "Las llaves de acceso no están activadas para esta aplicación.",
        },
        ["ja"] = new()
        {
            ["PasskeySignIn"] = "パスキーでサインイン",
            ["PasskeyCancelled"] = "パスキーは使用されませんでした。もう一度試すか、パスワードでサインインしてください。",
            ["PasskeyFailed"] = "このパスキーではサインインできませんでした。もう一度試すか、パスワードでサインインしてください。",
            ["PasskeyAddTitle"] = "パスキーを追加",
            ["PasskeyAddDescription"] = "次回からはパスワードの代わりに、指紋、顔、画面ロック、またはセキュリティキーでサインインできます。",
            ["PasskeyAdd"] = "パスキーを追加",
            ["PasskeyAdded"] = "パスキーを追加しました。このパスキーでサインインできます。",
            ["PasskeyAddFailed"] = "パスキーを追加できませんでした。もう一度試してください。",
            ["PasskeyCount"] = "アカウントのパスキー: {0}",
            ["PasskeyUnavailable"] = "このアプリではパスキーが有効になっていません。",
        },
    };
}

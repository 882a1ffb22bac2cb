using System.Globalization;

namespace Portal.Server.HostedUi;

/// <summary>The hosted UI's words in the languages it speaks, chosen from ui_locales, then Accept-Language.</summary>
public sealed class Texts
{
    public static readonly string[] Locales = ["en", "de", "fr", "es", "ja"];

    public string Locale { get; }
    readonly Dictionary<string, string> words;

    Texts(string locale)
    {
        Locale = locale;
        words = All[locale];
    }

    public string this[string key] => words.TryGetValue(key, out var w) ? w : All["en"].GetValueOrDefault(key, key);

    public static Texts For(string? uiLocales, string? acceptLanguage, string? defaultLocale = null)
    {
        foreach (var candidate in Candidates(uiLocales, ' ').Concat(Candidates(acceptLanguage, ',')).Append(defaultLocale ?? "en"))
        {
            var primary = candidate.Split('-', '_')[0].Trim().ToLowerInvariant();
            if (All.ContainsKey(primary)) return new Texts(primary);
        }
        return new Texts("en");
    }

    static IEnumerable<string> Candidates(string? header, char separator) => (header ?? "")
        .Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(part => part.Split(';'))
        .Select(p => (tag: p[0], q: p.Skip(1).Select(x => x.Trim()).Where(x => x.StartsWith("q=")).Select(x =>
            double.TryParse(x[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : 0).FirstOrDefault(1.0)))
        .Where(p => p.q > 0)
        .OrderByDescending(p => p.q)
        .Select(p => p.tag);

    static readonly Dictionary<string, Dictionary<string, string>> All = new()
    {
        ["en"] = new()
        {
            ["SignInTitle"] = "Sign in", ["SignInHeading"] = "Sign in to your account", ["Username"] = "Username or email",
            ["Email"] = "Email", ["Password"] = "Password", ["SignIn"] = "Sign in", ["ForgotPassword"] = "Forgot your password?",
            ["NoAccount"] = "Need an account?", ["SignUp"] = "Sign up", ["SignUpTitle"] = "Sign up", ["SignUpHeading"] = "Create an account",
            ["HaveAccount"] = "Already have an account?", ["ConfirmTitle"] = "Confirm your account", ["Code"] = "Verification code",
            ["ConfirmHeading"] = "We sent a code", ["ConfirmText"] = "Enter the code we sent to {0} to confirm your account.",
            ["Confirm"] = "Confirm account", ["ResendCode"] = "Send a new code", ["ForgotTitle"] = "Forgot your password?",
            ["ForgotText"] = "Enter your username or email and we will send you a code to reset your password.",
            ["ResetPassword"] = "Reset my password", ["ConfirmForgotTitle"] = "Choose a new password",
            ["ConfirmForgotText"] = "We sent a code to {0}. Enter it below with your new password.", ["NewPassword"] = "New password",
            ["ConfirmNewPassword"] = "Enter the new password again", ["ChangePassword"] = "Change password",
            ["NewPasswordTitle"] = "Change your password", ["NewPasswordText"] = "You must choose a new password to continue.",
            ["ErrorTitle"] = "Something went wrong", ["BackToSignIn"] = "Back to sign in", ["ShowPassword"] = "Show password",
            ["SignedOut"] = "You are signed out.", ["Or"] = "or", ["ContinueWith"] = "Continue with {0}", ["Continue"] = "Continue",
            ["PasswordsDiffer"] = "The two passwords are not the same.", ["Required"] = "{0} is required.",
            ["PasswordRules"] = "Password requirements", ["RuleLength"] = "At least {0} characters", ["RuleLower"] = "A lowercase letter",
            ["RuleUpper"] = "An uppercase letter", ["RuleNumber"] = "A number", ["RuleSymbol"] = "A special character",
            ["CodeSent"] = "We sent a new code to {0}.", ["PasswordChanged"] = "Your password was changed. Sign in with your new password.",
            ["Confirmed"] = "Your account is confirmed. Sign in to continue.", ["CorporateEmail"] = "Sign in with your corporate email",
        },
        ["de"] = new()
        {
            ["SignInTitle"] = "Anmelden", ["SignInHeading"] = "Bei Ihrem Konto anmelden", ["Username"] = "Benutzername oder E-Mail",
            ["Email"] = "E-Mail", ["Password"] = "Passwort", ["SignIn"] = "Anmelden", ["ForgotPassword"] = "Passwort vergessen?",
            ["NoAccount"] = "Noch kein Konto?", ["SignUp"] = "Registrieren", ["SignUpTitle"] = "Registrieren", ["SignUpHeading"] = "Konto erstellen",
            ["HaveAccount"] = "Sie haben bereits ein Konto?", ["ConfirmTitle"] = "Konto bestätigen", ["Code"] = "Bestätigungscode",
            ["ConfirmHeading"] = "Wir haben Ihnen einen Code gesendet", ["ConfirmText"] = "Geben Sie den an {0} gesendeten Code ein, um Ihr Konto zu bestätigen.",
            ["Confirm"] = "Konto bestätigen", ["ResendCode"] = "Neuen Code senden", ["ForgotTitle"] = "Passwort vergessen?",
            ["ForgotText"] = "Geben Sie Ihren Benutzernamen oder Ihre E-Mail ein, und wir senden Ihnen einen Code zum Zurücksetzen.",
            ["ResetPassword"] = "Passwort zurücksetzen", ["ConfirmForgotTitle"] = "Neues Passwort wählen",
            ["ConfirmForgotText"] = "Wir haben einen Code an {0} gesendet. Geben Sie ihn mit Ihrem neuen Passwort ein.", ["NewPassword"] = "Neues Passwort",
            ["ConfirmNewPassword"] = "Neues Passwort wiederholen", ["ChangePassword"] = "Passwort ändern",
            ["NewPasswordTitle"] = "Passwort ändern", ["NewPasswordText"] = "Sie müssen ein neues Passwort wählen, um fortzufahren.",
            ["ErrorTitle"] = "Etwas ist schiefgelaufen", ["BackToSignIn"] = "Zurück zur Anmeldung", ["ShowPassword"] = "Passwort anzeigen",
            ["SignedOut"] = "Sie sind abgemeldet.", ["Or"] = "oder", ["ContinueWith"] = "Weiter mit {0}", ["Continue"] = "Weiter",
            ["PasswordsDiffer"] = "Die beiden Passwörter stimmen nicht überein.", ["Required"] = "{0} ist erforderlich.",
            ["PasswordRules"] = "Anforderungen an das Passwort", ["RuleLength"] = "Mindestens {0} Zeichen", ["RuleLower"] = "Ein Kleinbuchstabe",
            ["RuleUpper"] = "Ein Großbuchstabe", ["RuleNumber"] = "Eine Ziffer", ["RuleSymbol"] = "Ein Sonderzeichen",
            ["CodeSent"] = "Wir haben einen neuen Code an {0} gesendet.", ["PasswordChanged"] = "Ihr Passwort wurde geändert. Melden Sie sich mit dem neuen Passwort an.",
            ["Confirmed"] = "Ihr Konto ist bestätigt. Melden Sie sich an, um fortzufahren.", ["CorporateEmail"] = "Mit Ihrer Firmen-E-Mail anmelden",
        },
        ["fr"] = new()
        {
            ["SignInTitle"] = "Connexion", ["SignInHeading"] = "Connectez-vous à votre compte", ["Username"] = "Nom d’utilisateur ou e-mail",
            ["Email"] = "E-mail", ["Password"] = "Mot de passe", ["SignIn"] = "Se connecter", ["ForgotPassword"] = "Mot de passe oublié ?",
            ["NoAccount"] = "Pas encore de compte ?", ["SignUp"] = "S’inscrire", ["SignUpTitle"] = "Inscription", ["SignUpHeading"] = "Créer un compte",
            ["HaveAccount"] = "Vous avez déjà un compte ?", ["ConfirmTitle"] = "Confirmez votre compte", ["Code"] = "Code de vérification",
            ["ConfirmHeading"] = "Nous vous avons envoyé un code", ["ConfirmText"] = "Saisissez le code envoyé à {0} pour confirmer votre compte.",
            ["Confirm"] = "Confirmer le compte", ["ResendCode"] = "Envoyer un nouveau code", ["ForgotTitle"] = "Mot de passe oublié ?",
            ["ForgotText"] = "Saisissez votre nom d’utilisateur ou votre e-mail : nous vous enverrons un code pour réinitialiser votre mot de passe.",
            ["ResetPassword"] = "Réinitialiser le mot de passe", ["ConfirmForgotTitle"] = "Choisissez un nouveau mot de passe",
            ["ConfirmForgotText"] = "Nous avons envoyé un code à {0}. Saisissez-le avec votre nouveau mot de passe.", ["NewPassword"] = "Nouveau mot de passe",
            ["ConfirmNewPassword"] = "Confirmez le nouveau mot de passe", ["ChangePassword"] = "Changer le mot de passe",
            ["NewPasswordTitle"] = "Changez votre mot de passe", ["NewPasswordText"] = "Vous devez choisir un nouveau mot de passe pour continuer.",
            ["ErrorTitle"] = "Un problème est survenu", ["BackToSignIn"] = "Retour à la connexion", ["ShowPassword"] = "Afficher le mot de passe",
            ["SignedOut"] = "Vous êtes déconnecté.", ["Or"] = "ou", ["ContinueWith"] = "Continuer avec {0}", ["Continue"] = "Continuer",
            ["PasswordsDiffer"] = "Les deux mots de passe ne sont pas identiques.", ["Required"] = "{0} est obligatoire.",
            ["PasswordRules"] = "Exigences du mot de passe", ["RuleLength"] = "Au moins {0} caractères", ["RuleLower"] = "Une minuscule",
            ["RuleUpper"] = "Une majuscule", ["RuleNumber"] = "Un chiffre", ["RuleSymbol"] = "Un caractère spécial",
            ["CodeSent"] = "Nous avons envoyé un nouveau code à {0}.", ["PasswordChanged"] = "Votre mot de passe a été changé. Connectez-vous avec le nouveau.",
            ["Confirmed"] = "Votre compte est confirmé. Connectez-vous pour continuer.", ["CorporateEmail"] = "Se connecter avec l’e-mail de votre entreprise",
        },
        ["es"] = new()
        {
            ["SignInTitle"] = "Iniciar sesión", ["SignInHeading"] = "Inicie sesión en su cuenta", ["Username"] = "Usuario o correo electrónico",
            ["Email"] = "Correo electrónico", ["Password"] = "Contraseña", ["SignIn"] = "Iniciar sesión", ["ForgotPassword"] = "¿Olvidó su contraseña?",
            ["NoAccount"] = "¿No tiene una cuenta?", ["SignUp"] = "Registrarse", ["SignUpTitle"] = "Registro", ["SignUpHeading"] = "Crear una cuenta",
            ["HaveAccount"] = "¿Ya tiene una cuenta?", ["ConfirmTitle"] = "Confirme su cuenta", ["Code"] = "Código de verificación",
            ["ConfirmHeading"] = "Le enviamos un código", ["ConfirmText"] = "Introduzca el código enviado a {0} para confirmar su cuenta.",
            ["Confirm"] = "Confirmar cuenta", ["ResendCode"] = "Enviar un código nuevo", ["ForgotTitle"] = "¿Olvidó su contraseña?",
            ["ForgotText"] = "Introduzca su usuario o correo y le enviaremos un código para restablecer la contraseña.",
            ["ResetPassword"] = "Restablecer contraseña", ["ConfirmForgotTitle"] = "Elija una contraseña nueva",
            ["ConfirmForgotText"] = "Enviamos un código a {0}. Introdúzcalo junto con su nueva contraseña.", ["NewPassword"] = "Contraseña nueva",
            ["ConfirmNewPassword"] = "Repita la contraseña nueva", ["ChangePassword"] = "Cambiar contraseña",
            ["NewPasswordTitle"] = "Cambie su contraseña", ["NewPasswordText"] = "Debe elegir una contraseña nueva para continuar.",
            ["ErrorTitle"] = "Algo salió mal", ["BackToSignIn"] = "Volver a iniciar sesión", ["ShowPassword"] = "Mostrar contraseña",
            ["SignedOut"] = "Ha cerrado la sesión.", ["Or"] = "o", ["ContinueWith"] = "Continuar con {0}", ["Continue"] = "Continuar",
            ["PasswordsDiffer"] = "Las dos contraseñas no coinciden.", ["Required"] = "{0} es obligatorio.",
            ["PasswordRules"] = "Requisitos de la contraseña", ["RuleLength"] = "Al menos {0} caracteres", ["RuleLower"] = "Una minúscula",
            ["RuleUpper"] = "Una mayúscula", ["RuleNumber"] = "Un número", ["RuleSymbol"] = "Un carácter especial",
            ["CodeSent"] = "Enviamos un código nuevo a {0}.", ["PasswordChanged"] = "Su contraseña se cambió. Inicie sesión con la nueva.",
            ["Confirmed"] = "Su cuenta está confirmada. Inicie sesión para continuar.", ["CorporateEmail"] = "Inicie sesión con su correo corporativo",
        },
        ["ja"] = new()
        {
            ["SignInTitle"] = "サインイン", ["SignInHeading"] = "アカウントにサインイン", ["Username"] = "ユーザー名またはメールアドレス",
            ["Email"] = "メールアドレス", ["Password"] = "パスワード", ["SignIn"] = "サインイン", ["ForgotPassword"] = "パスワードをお忘れですか？",
            ["NoAccount"] = "アカウントをお持ちでない方", ["SignUp"] = "新規登録", ["SignUpTitle"] = "新規登録", ["SignUpHeading"] = "アカウントを作成",
            ["HaveAccount"] = "アカウントをお持ちの方", ["ConfirmTitle"] = "アカウントの確認", ["Code"] = "確認コード",
            ["ConfirmHeading"] = "コードを送信しました", ["ConfirmText"] = "{0} に送信したコードを入力して、アカウントを確認してください。",
            ["Confirm"] = "アカウントを確認", ["ResendCode"] = "新しいコードを送信", ["ForgotTitle"] = "パスワードをお忘れですか？",
            ["ForgotText"] = "ユーザー名またはメールアドレスを入力してください。パスワード再設定用のコードを送信します。",
            ["ResetPassword"] = "パスワードを再設定", ["ConfirmForgotTitle"] = "新しいパスワードを設定",
            ["ConfirmForgotText"] = "{0} にコードを送信しました。新しいパスワードと一緒に入力してください。", ["NewPassword"] = "新しいパスワード",
            ["ConfirmNewPassword"] = "新しいパスワード（確認）", ["ChangePassword"] = "パスワードを変更",
            ["NewPasswordTitle"] = "パスワードの変更", ["NewPasswordText"] = "続行するには新しいパスワードを設定してください。",
            ["ErrorTitle"] = "問題が発生しました", ["BackToSignIn"] = "サインインに戻る", ["ShowPassword"] = "パスワードを表示",
            ["SignedOut"] = "サインアウトしました。", ["Or"] = "または", ["ContinueWith"] = "{0} で続行", ["Continue"] = "続行",
            ["PasswordsDiffer"] = "2 つのパスワードが一致しません。", ["Required"] = "{0} は必須です。",
            ["PasswordRules"] = "パスワードの要件", ["RuleLength"] = "{0} 文字以上", ["RuleLower"] = "小文字",
            ["RuleUpper"] = "大文字", ["RuleNumber"] = "数字", ["RuleSymbol"] = "記号",
            ["CodeSent"] = "{0} に新しいコードを送信しました。", ["PasswordChanged"] = "パスワードを変更しました。新しいパスワードでサインインしてください。",
            ["Confirmed"] = "アカウントが確認されました。サインインしてください。", ["CorporateEmail"] = "会社のメールアドレスでサインイン",
        },
    };

    public static IEnumerable<string> Keys => All["en"].Keys;
    public static bool Has(string locale, string key) => All.TryGetValue(locale, out var w) && w.ContainsKey(key);
}

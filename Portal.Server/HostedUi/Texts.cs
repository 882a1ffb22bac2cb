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
        .Select(p => (tag: p[0], q: p.Skip(1).Select(x => x.Trim()).Where(x => x.StartsWith("q=", StringComparison.Ordinal)).Select(x =>
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
            ["MfaTitle"] = "Two-step verification",
            ["MfaAppText"] = "Enter the 6-digit code from your authenticator app.",
            ["MfaSentText"] = "We sent a code to {0}. Enter it to sign in.",
            ["MfaChooseText"] = "How do you want to get your sign-in code?",
            ["MfaByApp"] = "Authenticator app",
            ["MfaBySms"] = "Text message (SMS)",
            ["MfaByEmail"] = "Email",
            ["MfaSetupTitle"] = "Set up your authenticator app",
            ["MfaSetupText"] = "This app requires a second sign-in step. Scan the QR code with an authenticator app, or type in the key, then enter the 6-digit code the app shows.",
            ["MfaSecretKey"] = "Key",
            ["MfaDeviceName"] = "Device name (optional)",
            ["MfaVerify"] = "Verify and sign in",
            ["MfaOpenApp"] = "Open in an authenticator app on this device",
            ["MfaQrAlt"] = "QR code to add this account to an authenticator app",
            ["MfaWrongCode"] = "That code is not right. Check it and try again.",
            ["MfaChooseFactor"] = "Choose how you want to get your code.",
            ["EmailCode"] = "Email me a sign-in code instead",
            ["SmsCode"] = "Text me a sign-in code instead",
            ["UsePassword"] = "Sign in with your password instead",
            ["CodeSentText"] = "We sent a sign-in code to {0}. Enter it to sign in; it is valid for 3 minutes.",
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
            ["MfaTitle"] = "Bestätigung in zwei Schritten",
            ["MfaAppText"] = "Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein.",
            ["MfaSentText"] = "Wir haben einen Code an {0} gesendet. Geben Sie ihn ein, um sich anzumelden.",
            ["MfaChooseText"] = "Wie möchten Sie Ihren Anmeldecode erhalten?",
            ["MfaByApp"] = "Authenticator-App",
            ["MfaBySms"] = "Textnachricht (SMS)",
            ["MfaByEmail"] = "E-Mail",
            ["MfaSetupTitle"] = "Authenticator-App einrichten",
            ["MfaSetupText"] = "Diese App verlangt einen zweiten Anmeldeschritt. Scannen Sie den QR-Code mit einer Authenticator-App oder geben Sie den Schlüssel ein, und geben Sie dann den 6-stelligen Code aus der App ein.",
            ["MfaSecretKey"] = "Schlüssel",
            ["MfaDeviceName"] = "Gerätename (optional)",
            ["MfaVerify"] = "Bestätigen und anmelden",
            ["MfaOpenApp"] = "In einer Authenticator-App auf diesem Gerät öffnen",
            ["MfaQrAlt"] = "QR-Code, um dieses Konto einer Authenticator-App hinzuzufügen",
            ["MfaWrongCode"] = "Dieser Code ist nicht richtig. Prüfen Sie ihn und versuchen Sie es erneut.",
            ["MfaChooseFactor"] = "Wählen Sie, wie Sie Ihren Code erhalten möchten.",
            ["EmailCode"] = "Stattdessen einen Anmeldecode per E-Mail senden",
            ["SmsCode"] = "Stattdessen einen Anmeldecode per SMS senden",
            ["UsePassword"] = "Stattdessen mit dem Passwort anmelden",
            ["CodeSentText"] = "Wir haben einen Anmeldecode an {0} gesendet. Geben Sie ihn ein, um sich anzumelden; er ist 3 Minuten gültig.",
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
            ["MfaTitle"] = "Vérification en deux étapes",
            ["MfaAppText"] = "Saisissez le code à 6 chiffres de votre application d'authentification.",
            ["MfaSentText"] = "Nous avons envoyé un code à {0}. Saisissez-le pour vous connecter.",
            ["MfaChooseText"] = "Comment souhaitez-vous recevoir votre code de connexion ?",
            ["MfaByApp"] = "Application d'authentification",
            ["MfaBySms"] = "SMS",
            ["MfaByEmail"] = "E-mail",
            ["MfaSetupTitle"] = "Configurez votre application d'authentification",
            ["MfaSetupText"] = "Cette application exige une deuxième étape de connexion. Scannez le code QR avec une application d'authentification ou saisissez la clé, puis saisissez le code à 6 chiffres affiché par l'application.",
            ["MfaSecretKey"] = "Clé",
            ["MfaDeviceName"] = "Nom de l'appareil (facultatif)",
            ["MfaVerify"] = "Vérifier et se connecter",
            ["MfaOpenApp"] = "Ouvrir dans une application d'authentification sur cet appareil",
            ["MfaQrAlt"] = "Code QR pour ajouter ce compte à une application d'authentification",
            ["MfaWrongCode"] = "Ce code n'est pas correct. Vérifiez-le et réessayez.",
            ["MfaChooseFactor"] = "Choisissez comment recevoir votre code.",
            ["EmailCode"] = "M'envoyer plutôt un code de connexion par e-mail",
            ["SmsCode"] = "M'envoyer plutôt un code de connexion par SMS",
            ["UsePassword"] = "Me connecter plutôt avec mon mot de passe",
            ["CodeSentText"] = "Nous avons envoyé un code de connexion à {0}. Saisissez-le pour vous connecter ; il est valable 3 minutes.",
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
            ["MfaTitle"] = "Verificación en dos pasos",
            ["MfaAppText"] = "Introduzca el código de 6 dígitos de su aplicación de autenticación.",
            ["MfaSentText"] = "Enviamos un código a {0}. Introdúzcalo para iniciar sesión.",
            ["MfaChooseText"] = "¿Cómo quiere recibir su código de inicio de sesión?",
            ["MfaByApp"] = "Aplicación de autenticación",
            ["MfaBySms"] = "Mensaje de texto (SMS)",
            ["MfaByEmail"] = "Correo electrónico",
            ["MfaSetupTitle"] = "Configure su aplicación de autenticación",
            ["MfaSetupText"] = "Esta aplicación exige un segundo paso de inicio de sesión. Escanee el código QR con una aplicación de autenticación o escriba la clave y, después, introduzca el código de 6 dígitos que muestre la aplicación.",
            ["MfaSecretKey"] = "Clave",
            ["MfaDeviceName"] = "Nombre del dispositivo (opcional)",
            ["MfaVerify"] = "Verificar e iniciar sesión",
            ["MfaOpenApp"] = "Abrir en una aplicación de autenticación de este dispositivo",
            ["MfaQrAlt"] = "Código QR para añadir esta cuenta a una aplicación de autenticación",
            ["MfaWrongCode"] = "Ese código no es correcto. Revíselo e inténtelo de nuevo.",
            ["MfaChooseFactor"] = "Elija cómo quiere recibir su código.",
            ["EmailCode"] = "Enviarme un código de inicio de sesión por correo",
            ["SmsCode"] = "Enviarme un código de inicio de sesión por SMS",
            ["UsePassword"] = "Iniciar sesión con mi contraseña",
            ["CodeSentText"] = "Enviamos un código de inicio de sesión a {0}. Introdúzcalo para iniciar sesión; es válido durante 3 minutos.",
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
            ["MfaTitle"] = "2段階認証",
            ["MfaAppText"] = "認証アプリに表示される6桁のコードを入力してください。",
            ["MfaSentText"] = "{0} にコードを送信しました。サインインするにはコードを入力してください。",
            ["MfaChooseText"] = "サインインコードの受け取り方法を選択してください。",
            ["MfaByApp"] = "認証アプリ",
            ["MfaBySms"] = "SMS（テキストメッセージ）",
            ["MfaByEmail"] = "メール",
            ["MfaSetupTitle"] = "認証アプリの設定",
            ["MfaSetupText"] = "このアプリでは2段階目のサインインが必要です。認証アプリでQRコードを読み取るかキーを入力してから、アプリに表示される6桁のコードを入力してください。",
            ["MfaSecretKey"] = "キー",
            ["MfaDeviceName"] = "デバイス名（任意）",
            ["MfaVerify"] = "確認してサインイン",
            ["MfaOpenApp"] = "この端末の認証アプリで開く",
            ["MfaQrAlt"] = "このアカウントを認証アプリに追加するためのQRコード",
            ["MfaWrongCode"] = "コードが正しくありません。確認してもう一度お試しください。",
            ["MfaChooseFactor"] = "コードの受け取り方法を選択してください。",
            ["EmailCode"] = "代わりにサインインコードをメールで受け取る",
            ["SmsCode"] = "代わりにサインインコードをSMSで受け取る",
            ["UsePassword"] = "パスワードでサインインする",
            ["CodeSentText"] = "{0} にサインインコードを送信しました。サインインするには入力してください。コードの有効期間は3分です。",
        },
    };

    public static IEnumerable<string> Keys => All["en"].Keys;
    public static bool Has(string locale, string key) => All.TryGetValue(locale, out var w) && w.ContainsKey(key);
}

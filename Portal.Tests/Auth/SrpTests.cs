using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Portal.Server.Auth;

namespace Portal.Tests.Auth;

/// <summary>
/// Cognito SRP (USER_SRP_AUTH / PASSWORD_VERIFIER) against the real npm client. The vectors below were
/// produced once by amazon-cognito-identity-js 6.3.21 itself: its CognitoUser.authenticateUser ran against a
/// stubbed InitiateAuth that answered with SALT and SRP_B (computed from the fixed salt and b below),
/// with the client's random a fixed and the clock frozen at At, and its RespondToAuthChallenge answer
/// (SRP_A, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE) was captured, also once with the password plus "x".
/// The verifier and k were computed with the lib's own hash/padHex/modPow. The cases were picked so that
/// the lib's padHex rules are all exercised: salt, u and S with the top bit set ("00" prefix), with a
/// leading zero byte (shorter than usual), and neither.
/// </summary>
public sealed class SrpTests
{
    public sealed record JsVector(
        string Name, string PoolId, string UserIdForSrp, string Password, string SaltBytesHex, string Salt,
        string Verifier, string PrivateB, string SrpB, string SrpA, string SecretBlock, DateTimeOffset At,
        string Timestamp, string Signature, string WrongPasswordSignature);

    private static readonly JsVector[] Vectors =
    [
        new JsVector(
            Name: "high-bit salt, u and S with top bit set",
            PoolId: "us-east-1_AbCdEf123", UserIdForSrp: "alice", Password: "Correct-Horse-9",
            SaltBytesHex: "f3a1c2d4e5f60718293a4b5c6d7e8f90", Salt: "00f3a1c2d4e5f60718293a4b5c6d7e8f90",
            Verifier:
                "6eb9c178098606ef1137c40dac0dffbd998da735455145f66ff303ec06d8462377ff4d28b2b215ce6dd655f21b4e8d15" +
                "da2a4f8011da53ac4be6b9b98bd0ad6d9aec6d227599c07dd2b86edc6b2abf500159313c93337898b4a5a044d21edf14" +
                "4610930ce1ec1cee3b2774103d3faa6b4f4e377390004801a84394effb57c77a6ab56bc0eb4f787821e05aa9f3a4f725" +
                "ef9cc9ddf0782c1b08eca98703b772bc9be9b16b7bf7d21c1034742ffd4ad23781986a56c6029c6db4860fe3ef59b0db" +
                "a71584ee7badcf54e819f8e8da625d4a6b26a0c2a6fd460c83a42ae63ccf85c7e98d706eb43335b93220e731083653dd" +
                "22d0657e823654d4be4fc8fdfd71081624d1c439dce0e7cd86d4d3061ab2d9162e298fd7f518c5629fd408fc69a490fa" +
                "b997fff2e223a08cb8d878120a820bef78d4a0e1805b984a0386db85dbe1f78223484cb790c5903efb0b5038bf04d388" +
                "c244c1c07ceaa6a77534e5159370d5e3cbbadce9302b9dfe4245166a0b21420342a197df34e5a6779594b5fdf5e5a843",
            PrivateB:
                "00cc7603d1f77ae2d7836a2b5fc97f725bb3ba4d8bb8cb873f3de6b26124087adbd3a24891e7a6f16ae2133504009279" +
                "4798094dc390ae02b383ff4fecbbccaf6008c7632b860f40d773406861f6a90fb1cff0758874a265de2ff0cb3fb6909c" +
                "58d36c2d81e46b845edd8f66d31e8912a60ab3d78917f53fd6ad9ff65b68fbb25fe32e70de814183243486720ab5835d" +
                "32ddf3147e62d6677415bacb3a55955fb6207ba6e2326fed9e2b8ec8bf8c13337257ca0addf4b539a7011b34a15786d9" +
                "df0020438de6711c4b6dbd6651e8e5e5b224a597817ba09d15fcd89cdbbdcf9f2dba47f4a25d66b449a27a6e3cc80867" +
                "3ec76deed8ee59b2eaf089724d1b401201",
            SrpB:
                "00dec091fc0591e28356bcbd8d13a5f22d1ebb433436af6030c737f18c7bec9c1607b514fbeaea38bc77aa2894a51465" +
                "f6191381e43476a8d447fe4e0eb4034cfb3630ed300f2ef7b4798be28ff15f4f55834b2900a1c0780fcce3b0a595a624" +
                "769ac7fb418a1e3e8b85aa1d4f8e6e14aaf713f474a055d86327bcb20b9aa0a87919c3929af7533000bf985127321bcc" +
                "933f08378ec61febcb8f511507ecdc74b62261b277ceb30a77bda5986004968f14d34718205840bc8cd330cd42ca1e85" +
                "176955fd4a284dad414153f094e884144dfee88ef38188e1d3a15c144b9ea606ae1280999fde0dd5f780545272c6dc51" +
                "64cfaeecf1ae06adb6cf23af1503560cf25d79dae4b77245453da7d60706e3d6cd7b6ea43d1d98fb04268d96ccbd31f4" +
                "47f6b0b391b3181d86941e4af6f356772ad48765567e686f7f9a059cb07257aa85daead6c3525299df1fa1479581309b" +
                "f24d2335e8cf42e8604a602c4b77a5fd1da23bc3ff51f96ac450c0dae0c6d45a541d654ca2ce53d3ce54e1bb90e91eb6" +
                "8d",
            SrpA:
                "8687731da81cd1db105ff8e333944bc906db9071635af3798da8a8e61b5ec47abdaf3cfa20ed32b08ca37318f50466cf" +
                "987780a4c1156fb30d6101546eec9b32ff1b3dab1106733a73b5300844ff991fc3068e7038d4c2347e898d2114cff34d" +
                "81f01a329eed2d21ca8dcf2ee5f83e7096495a11691c0241cc03a9ccad347a1127b5072abbad80cc33d4a299bf9036f8" +
                "09da849fe4aec07729254f51aa43b7b12bc390584f8131013f54b6acbb308974cb1bc81aa9a046d0be23715c516dac68" +
                "3267b1cb930d32c69257984a005286c120e5c3d799b90d8bc6716e4dca7df46d8c8f4efb3f3f11c6bb3e6cb6b2409e6c" +
                "d0830499d5cc23698f3aa91aaf9c6c1dc5bca10974cf15ca6f046a0c04ba7e98db91970d4ac9f30b822991c004670dff" +
                "f73f24ca042eac7c067c5af6d92cdf1f938d020ab14f8b0f2d1c3e4ad7046ae15865a858826da118a384142a21e1c414" +
                "c28cc3fe8f1d13ab3ff2ec124ce50f138dd4b84d2702e94f948e74bd4f2deeddee69e4210a658d02b826b122443e267d",
            SecretBlock: "ltliWxXI1wVfX2VTlnZj+AznEIGoXyCj24xdJN9ck2+ZsTXhxSG3ajIJVLK4qHFeeoRvE5cBNmqeociandxzuw==",
            At: DateTimeOffset.Parse("2025-03-04T09:05:07Z", CultureInfo.InvariantCulture),
            Timestamp: "Tue Mar 4 09:05:07 UTC 2025",
            Signature: "z3JVbEyKJHrBJ2TYm+/9EMlwJBgdc34Qz6mZo+cYVlA=",
            WrongPasswordSignature: "pR0Vn1Lxrt5HP5lPU80ZMNMbreIFqkvrVRQvs7PgSVY="),
        new JsVector(
            Name: "salt with leading zero byte, alias sign-in, u and S with top bit clear",
            PoolId: "us-east-1_AbCdEf123", UserIdForSrp: "7f3c1f0e-5b2a-4c1d-9e8f-0a1b2c3d4e5f", Password: "P@ssw0rd!",
            SaltBytesHex: "007a1b2c3d4e5f60718293a4b5c6d7e8", Salt: "7a1b2c3d4e5f60718293a4b5c6d7e8",
            Verifier:
                "2e4291c965c246ac3b911f3085be72988e1a3fa1b397458a52296f3f4edb694c824006033d85118b6363c81db0a425fd" +
                "633e2b412b246e96dd5cef74df16f60a62059edd8660816be8b8bacb029d275b20596a7e4437a4e27dbf094684214400" +
                "28a8a7c03c1eea3f1f195d9962dd08228de2d28a792fb9ba50f15f8def603beb0b7b93a6f9d55692aa2d1e401a5364f2" +
                "c6d07a35b70c390d9e26fe2ca9a6df0e81cef5df3d425a2ef43df90dffb0d03d66582d7a3e27a5334c74454c6c563ef8" +
                "0ed43214843f90171fb889281e0c4357ccbe0d04f5c222048068edf796907b7d1776de67a4af3e4879eb6d1b391948e2" +
                "454803bd97bb662b0977b8a34ea47c1f1e561f206317947c6375c951b0e6fae2822f8e3465279f95f0019448a04cb8ab" +
                "3767d94c4d815a2a889a2d3c33df81fa9ffd3a40f6a4adbe990ac6862c9db022f4a01579f34c68363cffc244853474ce" +
                "d6ec85d41769f75c4bfd78cb3ca263a977662abfddb10a108ffbe43159798e2c95899bb519bffdc93efbe1f0c5a65792",
            PrivateB:
                "00f584921fa41803684c87336ca5f23c923b9ef57c107c811b59514cfdf4e59ea865b5f87efc65801a11df1bdb2260cc" +
                "fb29214c17a25eed93ea027b1419a13e418bd0ee6e659e1f4c30f26f79345a6fd8ea672e1c3db9aa587b9b3832268bdb" +
                "1252c6674cb0ff297b3c2ba590814731a303531a8d59a887bfe3b2f51c8eff0542d773db64d31ec953214db4de0389ba" +
                "3e63d2d18d5b8667cc8f0bf2ccc9b82ab9399a378bfd744e3039d52b0cc2fe40b1912786bf59361e5eb2b16c7c51d8f0" +
                "32790eb0e2114cb3dfe87b22c792a4518757adb4dc072c2900bdd5ae26daefd2ef5718b8a1796a3890e2dae438a63eb3" +
                "d53c4e2e409a0a7cca57614817954b68c0",
            SrpB:
                "00b779360f965e288c32110aaee76632653ed6d275611fc73e68aaf5da9bdd012c34059334bb1c0601ffdc67494366c9" +
                "419ad91160b450f1408dc5220dd9f3a6481b22f827f97dbe57c5e182e43378828be2b1714e28b6f87ba721acd33000fa" +
                "d11626528af0a6759fe0391779e203511da92569a1172d6b34b2d7c5190ad9dbe90d235ef5c810595d0a3f8bd5826923" +
                "16c31d6b5a4e9ce18b10b3d1ff0c8e1a6393d408b3c7b6408ff0842bee13749db7f07515c767a2673e8625857bf3a347" +
                "a77651f373aab78f6d1e73196735fdfbca089c5b1aa433993d65d093f869b7d08f9a4075f89b7b1d2e1c75be49fee403" +
                "444740801d1cc4fc02bc9e082df925ef81db5669aed77f2be4cab77c53ad8e413088b94bdb18a5b69c4d7705b26da916" +
                "03f0956253314971645b2bcd4ee962ced1e8c78063ade9d062951377279b1595696312b870831facf8ab8c78d781cfb3" +
                "875a7b301a72ba20f0ab8a14ba26c91b9607c153d6a597e5f010fc4cfd26b48119347bd5642f57cf6c44cc5456a9c71e" +
                "42",
            SrpA:
                "a7606d738c56f5d0dddc2f0280e73ae252827b9ecd1809eff8270923b70e682e131b2b33f481df560264e26138884683" +
                "9924dfd00722ea29ee6a3ed12b61304313d10e3cdd8beda232e43e11f283ad52cfec24349bd914c1da8755860a0c3170" +
                "86678559159c444498128a9119b43dd00ce5245913b5bb91fe4d35f8bec0cea232ab2b5dd65a85a02825b5613ce363c2" +
                "3b61ef1f5d708479d9e0ff10b3fb945c85807de1ccf7f63c9f344c7336ede0ce5c899bbbbfccdd05c10ecef3776d706f" +
                "a9ccd9dec25893d566397c10e4910dfd2afe74bdff59980bbcfe6e93d298506b95e203759b8419d485e7cccf86a66462" +
                "8babc616025059d82752b95c04dc0e9b907ca6f4f5d90a91b2617b91436235541ac24ae3fdd52e0de49e763597ccfc44" +
                "88ff55a46ccf4858e8720cecb4309dcf46c64dd078836204a0b121fb9bde8321c441f750e24d8a0764067e888134b927" +
                "5cc31b50c61673891cb17f5f99e7ec9765ce915c26160497dbe65f9565bc91a971274b323699b5a898f5d3c48e13b23d",
            SecretBlock: "cfCwxGjdwEYAuc8Il4f4GNo31zG+RQUvKNFc9YEIUW77+qYNEuDcCF65KBYvYd/tCP978SLhvpdOUydg28Pu/Q==",
            At: DateTimeOffset.Parse("2024-12-25T23:59:59Z", CultureInfo.InvariantCulture),
            Timestamp: "Wed Dec 25 23:59:59 UTC 2024",
            Signature: "XcgvHEsNZ9Tp2jqE5AhpaUKm/9zwQv68wdsfeGcGjGI=",
            WrongPasswordSignature: "LpgEIJNw8Lp/uwTxSvtYDm8aFEP/n2NMwtf+ncDGPOM="),
        new JsVector(
            Name: "non-ASCII user and password, u with a leading zero byte",
            PoolId: "us-east-1_AbCdEf123", UserIdForSrp: "Bjørn", Password: "Pässwörd–✓ 23",
            SaltBytesHex: "3c0d5e6f708192a3b4c5d6e7f8091a2b", Salt: "3c0d5e6f708192a3b4c5d6e7f8091a2b",
            Verifier:
                "2d13a2b183d21ddb16b26e3dced96d49d6318989fb3fd6040c85be3a15cf1a95d52f10c740123988db115238d0fe7c37" +
                "4dde7e50440d241fa6d21afb42f039d9f0be0dd8318643126c49f87b52432110e44bdb6b4d629ee49ef5f046c6bfba60" +
                "9ebc740b16f724f61e95eb7e316c480d31749b33b2950b214bf19444009fae110604a02cd44b5e34768c3ee1fa80dcac" +
                "74d368c95c12662c36792e2e81477542b313de0c0deb981d4dc5039e021f1c467c261cd1c1331f473d1ffb953f920594" +
                "dbfd4941d9e0d71ee729786d4fae8e22b72a856de33ec83472334023b54ef48d643060229be277cc20ade349646701e0" +
                "5d6b87a6a07de2ad0233b68f3f75d9353a76e6d0a30d93729d2fb8c6a7b6a93263547aa299676e112e9f28439320fbe6" +
                "31a42cf809bbdbeba6482f000663b4d06c0eed5c77429ceb2fabfba509bc76fcda704760bac3381a6ca494e7c0d55c91" +
                "f7c6b0d674829de61e42cfc26f6a80e138f4e2569ff8323492a710604ce60713cfd7e72cbf6b8abd30e5300359530481",
            PrivateB:
                "1b674b8aab1c77313c1d6042ff258fb7a4065be8af75f368a4f6fd365752557fd98ce0867b37498cfed091d8a7e14b3d" +
                "7ed48b0e760f9a7ec7e3e6f3bdbadeb2193c19758ec6a97b6dad720cc988b0ecdab139fa1a8a2e384ab6e4655f7079d9" +
                "7df2039de3fccc4ae40a9c25f87803412459ef9c04811ec777555f6845dc1fff1b8dbf062deb60219c8804cf1d7c7db5" +
                "8a47aa941ca9ce2617d02f5b78ec710e486b8c57e841de1ace8b0417d61209267ee6e8446a4d7bdd511ac1a410b0a0e3" +
                "c5eff786000033544ac2b89ee4cbe1e3c8c33d2cbf67cabc5d9e9bc6bfd5984080f634ab708d2ae15c7b577290bf37d4" +
                "90f07abdce6c24316516222a8874ff2a",
            SrpB:
                "00c121f4372e22e10ebaf52dc37b9eb24ada8d998b3ea0d132f6d59c87ca1da0b1d4947f6a01f7339c7cfe9029fb3eb0" +
                "3b84ff61f926668f1dcc05b69473216b8b36fde00dc0d2d40303835729dcf164e6e774d7960e60218caaf51b78d7b5b3" +
                "e3f4db21f1de2cc033e6760c5e779e77071283ad0e7b64991846e534b11b0b9ac3ee15bdcce6f8579a45df217ac5a336" +
                "b6c47bdde7f4ce5d04024e87e84f3d8eb52e5db1539a5da0e2578adb7904f75c9a76efed451cb3a3205a09e122378093" +
                "9fc11b321846f5eabe69690027f8f4504451bfc6e16a3364fe028c5230b049c92431fc496ff7801c667507b126d2139f" +
                "f9e08da49a96ef08f8ee28eb656707b6975a5761c36ce49eb0f7ee0b8251fcdeeb766f0093fda92ac3c07a8bef055d70" +
                "89f2b9a55cc441ce63ddc444a84c10974d34a77633fd3c38dd5080064173143a03e5b0d9c58558370e30dd6a76f17c59" +
                "26d00b3b71b5047d6cfedfd583d7f96f4d3d1d8d772549679b22a654f011aec2635a8699aed72bb2d914ddfb085a2c06" +
                "2a",
            SrpA:
                "eedefda021de15b36448d77700252f49e6806e6ecc1ff97aac8a0ea714af73bb5a140a376ce2b8d9dda5cde21948f50e" +
                "d877e976b55c1187f0ef260c1885bab6bb2c76c4c8e82642338d76ba861d490b606a3ccaa2ac567faf6cf5734d07d996" +
                "a03271ac610934e8e541f52b28dd28d2e40751d6e96fb0811b6f11f9038d95ad4b253c5f4db92c2dfc5523d8b1f6a643" +
                "d9402f37e921e053dd5e6489b4b3acb0d2942de6a1059e4c0dd45b41fba304bdd7938a767118d5316d7c969fb7284bb8" +
                "8e46cb5c598a7a801a8ffb732d5732e3fbc3672a5aac234038da685e07e2ca1412c844b3fda86efef137f06169cac7f2" +
                "c27b56a56587e4b8e366925696ad6638898ce10268528d9c21eed898d47a056e0363aa9e296a6e917ce404f0950f6a3c" +
                "b92b6a35273a231a4078f661fa97c171ca7f4d6a079165df7fc461ad34ea661b4e28e335b2b1005bdd7ddaf41bc70731" +
                "8d7bae57817ecd4de8d08d238235217fd044ef954452cfed0bb96b18038be5e7ce580a2cfa99e1a4bc891793b73e89ee",
            SecretBlock: "c/fFSpgDMlgx/tqxnG/Z6YG2L5+FRtpWKWg3pir1VZWHPx7tt72htgGbVM5O6pHlJJuROzjkPfYAd9PRcqKTUA==",
            At: DateTimeOffset.Parse("2026-07-10T00:00:01Z", CultureInfo.InvariantCulture),
            Timestamp: "Fri Jul 10 00:00:01 UTC 2026",
            Signature: "57aDmyfnujIsWd3jnD9YHPJdBM38UrF4M2vVktrOJOA=",
            WrongPasswordSignature: "5xDUlHHuGCFLHVXRTpsHtgN4SPHJ18/qwAnhY/UbyC8="),
        new JsVector(
            Name: "S with a leading zero byte",
            PoolId: "us-east-1_AbCdEf123", UserIdForSrp: "bob", Password: "hunter2hunter2",
            SaltBytesHex: "80000000000000000000000000000001", Salt: "0080000000000000000000000000000001",
            Verifier:
                "6f2d99a52639be1b24a82b741571c6ca887e96d3f356273153d35c86aa0e6545abfb68df1e4ae13a4f63856b7caf634e" +
                "2ebdae5c57570f290126389b4e518a52a334c006f979e7e912c60aa864daa7e0d83a26ae966550883982b735565efbc9" +
                "4993db53a4652dbf720bffe80b6a245e0d39a9a2b1fbf297c1a62a6513644d1cc59d1b1d38bbf825d7fdd6354973759e" +
                "279ee4ce0f8328327382568d5d31bbc6c81ba1a976993366676d055a91fe377423f66497fbb73e2df41d564e12d84b01" +
                "70020a6fefdfea4f31bacac1e033c6fdf0844189b89958759cd39de66f33733a5d3618edf2c7affcfcf7032804fdb32b" +
                "4dba74e9aef2231411972c9614df06275709f486baede8c75f917c7e8fe7ef4cc4eac81e00c43faf59c2069e947bee8b" +
                "878d050016354fcf9eae3ec8b4bb533ea89a3569e16a1a70de7ebc0c4acae1b17d10a63eab55c13b707760334b99fec5" +
                "702a467c12cb3511beaa0f161a47227a73e65b4849d2bece8d7cd0f1525ccc1c1b65f3f4f2de6fea1c64383ae91e14c4",
            PrivateB:
                "0a6a0e232a2ee81ceea5981849dba39b9b4aacdcbbe87bdcea6542a638909a3dbad27e53e383d510db9a9b53cb164e33" +
                "96b47989b77e61bf5c0f843e3b69c25e10f32d231f71a9e9241ad6cac828d37f531264eeee55de11a84052da8e4a90a1" +
                "cf3a8d2a76df835dd0d172f1f0830fe5619085363a14cfe3810962cb41f17471e0825da32777edb365d19b2c9ca6bb5f" +
                "9ba2043cb7bfae6f44509c2a6f8393a5e4954877cf177be7f5f9a40d5e46efc2f5ecb9df0c9690bcfa27898e2d837a95" +
                "dd82a5148517eb0fa77e0189e14a3ffa9849ed2fad9a76bbe1a76cbb4217499f3f8b98a97f3d97c302f7a8d9131cdda4" +
                "229c7d77bfa9b0140c7c0fc7a1cd1ef0",
            SrpB:
                "00fe0acd84bfcf0bf320df15069a412df58f5786b8f8f4ed7412e0ed4557534ec4e1456c2a1accdb884dcb50ff8b7041" +
                "e91750353da3ee292518dcfd233a553a754d668f85cc203c6b32cea87f542c1fd4cfa6e0cb95bb82c36b95ca6aa77a5d" +
                "9a51754c79a29a9c1dcd11c6e2452a63b98b7893b72f7ca2656bd77edd29f877cb5451145706a4f5d3e88e555411d620" +
                "ff52b467aa3d46b3fbbacd21e6879ff660b4bb3cc6d6df6ae09d292b969810a6254038cea9c9d344025a416f76d5b9b4" +
                "2e052c148e6aee4a24d4801d7dac33356344cd24b0a838c69e1961e475fff184b0973890b778c7d4292f0ce50affd083" +
                "f851f91f4a86a5a02099e3a52fe3ed3637a8cd6d568d7f16554b133b4ebc654e477d6723a8889130dd94df168c0b1c23" +
                "4ef189c7dbbe1ea20ec8a5b16ada5f9f2a37588a001313e335f441a9996ea600a3efe837b941c72bd3a9d69311e0d4ef" +
                "5f3ea6ab97af456143b20ed02de97c93a2bfae7c3d63d9df051887ca67ae77e524ed73cb84a35366bb32b0a6f29ec47f" +
                "6d",
            SrpA:
                "65a9b7c85c62d48645c1d9ea2e3d095fc3ccb682058d6700631129f197397b0eb78c42c90c26f5ca803c0218597866a5" +
                "bc1d2754e6b5fd34f56423462344d2bb87d467aa9cd5c7a63be53b4f5a20a2eec70c7e1632f5df44f79532280e2af0ed" +
                "f0d5f71c2065e61255008f3f06b361fa380ede20015f1dd85963fe700c0cfb43e74ac7f1d9312baded5f5bcd1038434e" +
                "8816391ff782a3b2021675ab0c0ca7dc80fa6ff01829924e6bfe0204e1fed61e5e9770349144945b60d633f36d8851dc" +
                "03e7ac9826194fa1e7385c4642ca2d7ac208a2ea711cdf5de0a6ced232b2041de183f11b3fc148cd0c771d7034d75a63" +
                "2322ced3c4e68e6dde0a6d3e4242f55f17b8fe63077b0d4cec7f5ee0fa858c31385dec741af0794ce94ff4a2b8064d79" +
                "916e15ea92e4f93dd60da29f4d27e1a32f24673ff92b741d1ad647ca744c93c34465a2241749ead65bddc2042f7c7ca4" +
                "4769b4feba2a9e9bc71311fb48e02f3e6b4c33e5bf15b17b6af46b804233206a99fbb3d6a20a23395ce1a9f19591fd7d",
            SecretBlock: "DHq7xfxWgV46i5BDPW9ajEmSZgweUkSSMkauLwiefxzL2jEy8cxAfskLf0fCutVHvidorFeNcAoqImXNUHZHBA==",
            At: DateTimeOffset.Parse("2025-02-28T12:00:00Z", CultureInfo.InvariantCulture),
            Timestamp: "Fri Feb 28 12:00:00 UTC 2025",
            Signature: "PcBxhkeDC1ioSwdjtIcHshXgt/QjQumpsUq9d4cz3X8=",
            WrongPasswordSignature: "8UsvbqJYwd6YE0mJy+3VclKfhw9BM2+j2pABnpqXifY="),
    ];

    public static TheoryData<int> VectorIndexes() => [.. Enumerable.Range(0, Vectors.Length)];

    private static bool Verify(JsVector v, string? srpA = null, string? timestamp = null, string? signature = null,
        string? secretBlock = null, string? userIdForSrp = null, string? poolId = null, string? verifier = null)
        => Srp.VerifyPasswordClaim(poolId ?? v.PoolId, userIdForSrp ?? v.UserIdForSrp, v.Salt, verifier ?? v.Verifier,
            srpA ?? v.SrpA, v.PrivateB, v.SrpB, secretBlock ?? v.SecretBlock, timestamp ?? v.Timestamp, signature ?? v.Signature);

    // ---- the group ----

    [Fact]
    public void K_is_the_one_the_client_computes()
        => Assert.Equal("538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6", Srp.PadHex(Srp.K));

    [Fact]
    public void N_is_the_3072_bit_group_and_g_is_2()
    {
        Assert.Equal(3072, (int)Srp.N.GetBitLength());
        Assert.Equal(2, (int)Srp.G);
    }

    // Outputs of the lib's padHex for these inputs (captured from the lib).
    [Theory]
    [InlineData("0", "00")]
    [InlineData("14", "14")]
    [InlineData("ec", "00ec")]
    [InlineData("-ec", "ff14")]
    [InlineData("-14", "ec")]
    [InlineData("-c8", "ff38")]
    [InlineData("38", "38")]
    [InlineData("c8", "00c8")]
    [InlineData("-38", "c8")]
    [InlineData("-80", "80")]
    [InlineData("80", "0080")]
    [InlineData("-8000", "8000")]
    [InlineData("-8001", "ff7fff")]
    [InlineData("100", "0100")]
    [InlineData("-100", "ff00")]
    [InlineData("7f", "7f")]
    [InlineData("-7f", "81")]
    [InlineData("ff", "00ff")]
    [InlineData("-ff", "ff01")]
    [InlineData("-10000", "ff0000")]
    [InlineData("ffffff", "00ffffff")]
    [InlineData("-ffffff", "ff000001")]
    public void PadHex_matches_the_client_library(string signedHex, string expected)
    {
        var value = signedHex.StartsWith('-') ? -Srp.ParseHex(signedHex[1..]) : Srp.ParseHex(signedHex);
        Assert.Equal(expected, Srp.PadHex(value));
    }

    [Theory]
    [InlineData("abc", 0xabc)]
    [InlineData("ABC", 0xabc)]
    [InlineData("00ff", 0xff)]
    [InlineData("ff", 0xff)]
    public void ParseHex_reads_hex_as_the_client_does(string hex, int expected)
        => Assert.Equal(new BigInteger(expected), Srp.ParseHex(hex));

    [Fact]
    public void Pool_name_is_the_part_after_the_underscore()
    {
        Assert.Equal("AbCdEf123", Srp.PoolName("us-east-1_AbCdEf123"));
        Assert.Throws<ArgumentException>(() => Srp.CreateVerifier("nounderscore", "alice", "pw"));
    }

    // ---- against the npm client ----

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Verifier_and_salt_match_the_client_library(int index)
    {
        var v = Vectors[index];
        var verifier = Srp.CreateVerifier(v.PoolId, v.UserIdForSrp, v.Password, Convert.FromHexString(v.SaltBytesHex));
        Assert.Equal(v.Salt, verifier.SaltHex);
        Assert.Equal(v.Verifier, verifier.VerifierHex);
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Server_B_for_a_fixed_b_is_the_one_the_client_was_given(int index)
    {
        var v = Vectors[index];
        var session = Srp.Start(v.Verifier, Srp.ParseHex(v.PrivateB));
        Assert.Equal(v.SrpB, session.SrpB);
        Assert.Equal(v.PrivateB, session.PrivateB);
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Password_claim_of_the_npm_client_is_accepted(int index)
    {
        var v = Vectors[index];
        Assert.True(Verify(v), v.Name);
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Timestamp_is_formatted_and_parsed_as_the_client_does(int index)
    {
        var v = Vectors[index];
        Assert.Equal(v.Timestamp, Srp.FormatTimestamp(v.At));
        Assert.True(Srp.TryParseTimestamp(v.Timestamp, out var parsed));
        Assert.Equal(v.At, parsed);
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Claim_signed_with_a_wrong_password_is_rejected(int index)
    {
        var v = Vectors[index];
        Assert.NotEqual(v.Signature, v.WrongPasswordSignature);
        Assert.False(Verify(v, signature: v.WrongPasswordSignature));
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Tampered_claims_are_rejected(int index)
    {
        var v = Vectors[index];
        Assert.False(Verify(v, timestamp: Srp.FormatTimestamp(v.At.AddSeconds(1))));
        Assert.False(Verify(v, timestamp: v.Timestamp + " "));
        var block = Convert.FromBase64String(v.SecretBlock);
        block[0] ^= 1;
        Assert.False(Verify(v, secretBlock: Convert.ToBase64String(block)));
        var sig = Convert.FromBase64String(v.Signature);
        sig[^1] ^= 0x80;
        Assert.False(Verify(v, signature: Convert.ToBase64String(sig)));
        Assert.False(Verify(v, signature: Convert.ToBase64String(sig[..16])));
        Assert.False(Verify(v, userIdForSrp: v.UserIdForSrp + "x"));
        Assert.False(Verify(v, poolId: "us-east-1_Other"));
        var other = Srp.CreateVerifier(v.PoolId, v.UserIdForSrp, v.Password + "x", Convert.FromHexString(v.SaltBytesHex));
        Assert.False(Verify(v, verifier: other.VerifierHex));
        // A different A (the client's own A times g) no longer fits the signature.
        Assert.False(Verify(v, srpA: (Srp.ParseHex(v.SrpA) * 2 % Srp.N).ToString("x", CultureInfo.InvariantCulture)));
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void A_that_is_zero_mod_N_is_rejected(int index)
    {
        var v = Vectors[index];
        Assert.False(Verify(v, srpA: "0"));
        Assert.False(Verify(v, srpA: "00"));
        Assert.False(Verify(v, srpA: Srp.PadHex(Srp.N)));
        Assert.False(Verify(v, srpA: Srp.PadHex(Srp.N * 2)));
        Assert.False(Verify(v, srpA: Srp.PadHex(Srp.N * 5)));
    }

    [Fact]
    public void Malformed_input_is_rejected_without_throwing()
    {
        var v = Vectors[0];
        Assert.False(Verify(v, srpA: ""));
        Assert.False(Verify(v, srpA: "xyz"));
        Assert.False(Verify(v, srpA: "-" + v.SrpA));
        Assert.False(Verify(v, srpA: " " + v.SrpA));
        Assert.False(Verify(v, signature: "not base64!"));
        Assert.False(Verify(v, signature: ""));
        Assert.False(Verify(v, secretBlock: "%%%"));
        Assert.False(Verify(v, poolId: "nounderscore"));
        Assert.False(Srp.VerifyPasswordClaim(v.PoolId, v.UserIdForSrp, v.Salt, v.Verifier, v.SrpA, "", v.SrpB,
            v.SecretBlock, v.Timestamp, v.Signature));
        Assert.False(Srp.VerifyPasswordClaim(v.PoolId, v.UserIdForSrp, v.Salt, v.Verifier, v.SrpA, v.PrivateB, "0",
            v.SecretBlock, v.Timestamp, v.Signature));
        Assert.False(Srp.VerifyPasswordClaim(null!, null!, null!, null!, null!, null!, null!, null!, null!, null!));
    }

    [Fact]
    public void SRP_A_is_read_whatever_its_case_and_padding()
    {
        var v = Vectors[0];
        Assert.True(Verify(v, srpA: v.SrpA.ToUpperInvariant()));
        Assert.True(Verify(v, srpA: "00" + v.SrpA));
    }

    // ---- TIMESTAMP ----

    [Fact]
    public void Timestamp_day_is_not_zero_padded_and_is_culture_independent()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var instant = new DateTimeOffset(2025, 3, 4, 10, 5, 7, TimeSpan.FromHours(1));
            Assert.Equal("Tue Mar 4 09:05:07 UTC 2025", Srp.FormatTimestamp(instant));
            Assert.True(Srp.TryParseTimestamp("Tue Mar 4 09:05:07 UTC 2025", out var parsed));
            Assert.Equal(instant, parsed);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Wed Mar 4 09:05:07 UTC 2025")]   // 4 March 2025 is a Tuesday
    [InlineData("Tue Mar 4 09:05:07 GMT 2025")]
    [InlineData("Tue Mar 4 9:05:07 UTC 2025")]
    [InlineData("Di. März 4 09:05:07 UTC 2025")]
    [InlineData("2025-03-04T09:05:07Z")]
    [InlineData("Tue Mar 32 09:05:07 UTC 2025")]
    public void Timestamps_not_in_the_client_format_do_not_parse(string? timestamp)
        => Assert.False(Srp.TryParseTimestamp(timestamp, out _));

    // ---- random values ----

    [Fact]
    public void CreateVerifier_uses_a_fresh_16_byte_salt_in_the_client_format()
    {
        var first = Srp.CreateVerifier("us-east-1_Pool", "alice", "pw");
        var second = Srp.CreateVerifier("us-east-1_Pool", "alice", "pw");
        Assert.NotEqual(first.SaltHex, second.SaltHex);
        Assert.NotEqual(first.VerifierHex, second.VerifierHex);
        foreach (var verifier in new[] { first, second })
        {
            var salt = Srp.ParseHex(verifier.SaltHex);
            Assert.True(salt.GetBitLength() <= 128);
            Assert.Equal(Srp.PadHex(salt), verifier.SaltHex);
            var v = Srp.ParseHex(verifier.VerifierHex);
            Assert.True(v > 1 && v < Srp.N);
            Assert.Equal(Srp.PadHex(v), verifier.VerifierHex);
        }
    }

    [Fact]
    public void Start_picks_a_fresh_b_and_a_B_in_the_group()
    {
        var verifier = Srp.CreateVerifier("us-east-1_Pool", "alice", "pw");
        var first = Srp.Start(verifier.VerifierHex);
        var second = Srp.Start(verifier.VerifierHex);
        Assert.NotEqual(first.PrivateB, second.PrivateB);
        Assert.NotEqual(first.SrpB, second.SrpB);
        foreach (var session in new[] { first, second })
        {
            var B = Srp.ParseHex(session.SrpB);
            Assert.True(B > 0 && B < Srp.N);
            Assert.Equal(session.SrpB, Srp.Start(verifier.VerifierHex, Srp.ParseHex(session.PrivateB)).SrpB);
        }
    }

    // ---- round trip with a client written here ----

    [Fact]
    public void Round_trip_with_a_client_written_from_the_lib_accepts_the_right_password_only()
    {
        for (var i = 0; i < 4; i++)
        {
            var poolId = "eu-west-1_" + RandomText(9);
            var userId = Guid.NewGuid().ToString();
            var password = RandomText(6 + i * 5) + "Ω✓";
            var verifier = Srp.CreateVerifier(poolId, userId, password);
            var session = Srp.Start(verifier.VerifierHex);
            var secretBlock = Convert.ToBase64String(RandomNumberGenerator.GetBytes(128));
            var timestamp = Srp.FormatTimestamp(DateTimeOffset.UtcNow);

            var client = new TestClient(poolId.Split('_')[1]);
            var signature = client.Sign(userId, password, session.SrpB, verifier.SaltHex, secretBlock, timestamp);
            Assert.True(Srp.VerifyPasswordClaim(poolId, userId, verifier.SaltHex, verifier.VerifierHex,
                client.SrpA, session.PrivateB, session.SrpB, secretBlock, timestamp, signature));
            Assert.True(Srp.TryParseTimestamp(timestamp, out _));

            var wrong = client.Sign(userId, password + "!", session.SrpB, verifier.SaltHex, secretBlock, timestamp);
            Assert.False(Srp.VerifyPasswordClaim(poolId, userId, verifier.SaltHex, verifier.VerifierHex,
                client.SrpA, session.PrivateB, session.SrpB, secretBlock, timestamp, wrong));

            // Another session's b does not fit this B.
            var other = Srp.Start(verifier.VerifierHex);
            Assert.False(Srp.VerifyPasswordClaim(poolId, userId, verifier.SaltHex, verifier.VerifierHex,
                client.SrpA, other.PrivateB, session.SrpB, secretBlock, timestamp, signature));
        }
    }

    private static string RandomText(int length)
        => new(RandomNumberGenerator.GetItems("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".AsSpan(), length));

    /// <summary>
    /// The client side, transcribed from AuthenticationHelper.js and CognitoUser.js independently of
    /// <see cref="Srp"/> (its own padHex on strings, its own k): A = g^a, x, S = (B − k·g^x)^(a + u·x), HKDF, HMAC.
    /// </summary>
    private sealed class TestClient
    {
        private static readonly BigInteger N = FromHex(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
            "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
            "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
            "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
            "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
            "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF");
        private static readonly BigInteger G = 2;
        private static readonly BigInteger K = FromHex(HexHash(PadHex(N) + PadHex(G)));

        private readonly string _poolName;
        private readonly BigInteger _a;
        private readonly BigInteger _A;

        public TestClient(string poolName)
        {
            _poolName = poolName;
            _a = FromHex(Convert.ToHexString(RandomNumberGenerator.GetBytes(128)));
            _A = BigInteger.ModPow(G, _a, N);
        }

        /// <summary>SRP_A as the client sends it: aValue.toString(16), no padding.</summary>
        public string SrpA => _A.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');

        public string Sign(string userIdForSrp, string password, string srpB, string saltHex, string secretBlock, string timestamp)
        {
            var B = FromHex(srpB);
            var salt = FromHex(saltHex);
            var u = FromHex(HexHash(PadHex(_A) + PadHex(B)));
            var usernamePasswordHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{_poolName}{userIdForSrp}:{password}")));
            var x = FromHex(HexHash(PadHex(salt) + usernamePasswordHash));
            var gx = BigInteger.ModPow(G, x, N);
            var baseValue = ((B - K * gx) % N + N) % N;
            var S = BigInteger.ModPow(baseValue, _a + u * x, N);

            // computehkdf(ikm = padHex(S), salt = padHex(u)), written out with HMAC.
            var prk = HMACSHA256.HashData(Convert.FromHexString(PadHex(u)), Convert.FromHexString(PadHex(S)));
            byte[] info = [.. Encoding.UTF8.GetBytes("Caldera Derived Key"), 1];
            var okm = HMACSHA256.HashData(prk, info);
            var key = okm[..16];

            byte[] message = [.. Encoding.UTF8.GetBytes(_poolName), .. Encoding.UTF8.GetBytes(userIdForSrp),
                .. Convert.FromBase64String(secretBlock), .. Encoding.UTF8.GetBytes(timestamp)];
            return Convert.ToBase64String(HMACSHA256.HashData(key, message));
        }

        private static BigInteger FromHex(string hex)
            => BigInteger.Parse("0" + hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

        private static string HexHash(string hex) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(hex)));

        /// <summary>padHex for non-negative values, as the lib does it on strings.</summary>
        private static string PadHex(BigInteger value)
        {
            var hex = value.IsZero ? "0" : value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
            if (hex.Length % 2 != 0) hex = "0" + hex;
            if ("89abcdef".Contains(hex[0])) hex = "00" + hex;
            return hex;
        }
    }
}

"""The sealed answers of the conceptual questions: written by `python -m bncourse.tools.questions --write`, do not edit."""

BANK = {
    '00.q1': {
        'kind': 'count',
        'salt': 'd6ffcb6cc6b83e37',
        'hint': 'count the columns: BatchNorm averages over the batch axis (axis 0), once per feature',
        'answers': {
            'd0d4a9abe4a192195cc19aeef1dce493':
                'tkN7z3HePq/wNk813Mf+snPkL22C6Uc61blZuTEzennyINau/PhwSPtyYRYcuMhZIyOwygcZad3P8pleui8s/Kr3YtJFXPVIBHkNnyu6ecxqRiGVrjVV',
            'ca5c49c708ac45f7b1459d5878042749':
                'uyduJqqI226a2cEB34jChWIz5GDCvBRA9kN9vloymsX8epaQ0gpeDlrgRpkwumPe3eM53mecMLOHl0nBTTZmo7Np13fn+jYVptFVEC4qewSxJGxmlGOZfCi0kL0BLiEwzBU08Tok8mNrWIDBvZICbHfPUispZn6QFhN0FXV6NRSxgK+Dhve3',
            'f469227e480ab3e00ea6b051c8dd5e58':
                '5/c0XsV0Xu5F+DYSEXI8WAi7YwZSxVvCiR7HqSLRexyUYm6Xjn+GGGLH4qxoB8410X/Y3iTP+41o25Ox2vNKTVd74zku18xi7i3RZqnZxhM3l2Tzq1ed7/ZyteKwB+WzdvLUYg==',
            'ba5d16b0a1844b1bf3d569f6e7fc6c2e':
                'ozvI1MVuFjDA/0kU14QDBKXKLoLBXbswStfo8cJHDZsy2YsW5W+u/0rJSwkzRlTeFblo+jB2+XdxPRDPP1l0OE+2Ts6cEg==',
        },
    },
    '01.q1': {
        'kind': 'choice',
        'salt': 'b86d6b7d46eeaf41',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '10c708937e81971a35a2e67725eefabd':
                'L//TKQ5mpqbMEX/AIDm+6M2wouvrgtqMbZJbR27Bv1lan8fYDtc9WZHsDXyajCHJUMTEcFByhljrv0hBMpy72a8aKrmCoKouX5SsSKDOFSbpw0I76DZBT0j/Bha25wD5mrJbzFjm1hIdqZ+CAgBawitpp2wfUg9E+GS5',
            '0861cbea2dcdbea5b4499357d9c74560':
                'GQy6mEpis0Pj720PliAegnNon2ulNF1CtdLZiwsK4wqk5lFZZPpMxtzTYNwJdcoPcml6ppzYBPN0+VtyQjrYITHafp2nfbJ/ejSs4N2AhCdfGCJO8p0rD9PkKjqKEUIvQLeQ+DC9AIsgH/TG',
            '75766d302fff51a4500b5f9befaef010':
                'hN2VJtI85E6bINYhyt+OjrHMNGgGgJYInhl57Cp2vStiayP/GZr0d4kXrZR6nPUvvd5p4NQZioyBmVmOilWTUlL0X59UHSH1/N7EO6oWDiy92kS2926EVEk8qewztA==',
            'a7b97cba9ca2400c9a1129a68f6e25af':
                'U0P7E0DWsSc5fhrhZ23LZD6rXZUXSdObx3s81KjxxBDJRigjor2x3fnackzNuQiGLpZcLZlf+ooaHQng50C3vVNIxbCBgX9wvZLLX97moEvwTuQ=',
        },
    },
    '02.q1': {
        'kind': 'count',
        'salt': '22c4930d7705213a',
        'hint': 'count the nodes that take xmu as an input: each one sends a gradient back into xmu',
        'answers': {
            'd65a514bca7750d2da8aea4f3993cf74':
                'posEaUot9Wbn1H2iJikZN5rvApTZEm78J8CcfJ25GdWDV2TqvU4aH4KxgD9VnMxmgyyOTkkEvYWRRVQMJ0oqiVhrWxjHBY0p3nyQJz10ZGk76lheWQYLmJ8tLdfGMONZRhg4kVLDrR4=',
            'ab1e7ede5af3ec96823c3fd4212217cb':
                'TU+Uva7IvmYZc2aIum+Etf/+8PXtB2ZbP24W7OYde74GQMRKIB28iUm3aF9VnK9mqNVxTq7jnzvBtz+10xj6AlBRpRUpmT9Or5K+f2e3RtEVdfu87JgDIKoFpzL2q3V9upcT1SpDV9ruilaGSTwCzPN+yXGPXQ==',
            'd045e3a4483fb1b7dffea0da3ee999a6':
                'WVuMbMjjv9riFNkjE+03QSnBhPN+HXqB1qIunHTuTanlSuy4gTQb3DWBLTm8Fr6pBGMYLU+XVas3aE99qCWgtspQNIqFwsPUPCjB8Nte5zAAGL2RvoBEPxGatBN9vgKYvHYf225bbMCHGx+/2/2uT9x6OEeoGTyW38iwApdNehpHHaqdm1WV02zZzA==',
        },
    },
    '03.q1': {
        'kind': 'choice',
        'salt': '9a5bb279816c8bec',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            'c65d568c3062ad04c1e15fd974686aa6':
                'yPgHXRBXg+XcdDnYDs4PbVnmcG7FaPZo3XGlRJN2ETqsgZjDxzAt2kZMN9qlVW9hP1zbpklGecWFxm62Ou4=',
            'fc5f127233af53819fdfef84ea244cea':
                'AVz1M/DJ54HRB3dH5XqW3dcC3qEefleoRLfLovA++pFXmjB7ErybDq5BfjIo3Vn9yNIXigDgVYm3SrPl6FOhlj/IfqdRoOLE0ty7PqbJ3sAuiHzLp2IglmVebe0BoXT1fAXDv0cm',
            '9a888bea2ebca738102345a3b8f60914':
                'PBh8qRbQdyOAqU/YStWaP6w78xGaLuA3cQTNLi/JaRLvHDNV3n+Ps89KOkc5szdpDNPuaCbCdRz/bRGt6OYE65GmcyoKAkyNrOHdcUkKjgJTEwhjeiDfbXpQwya9a7MpmQ==',
            'ccbc74dee7fc7ba64ddce762edd12288':
                '4bEbPJ8XEpUapbgIEnQXZIS0FIJr1CVVzT5zf9H2sfwuzDCLq+RJyYPVNibeDSKu7wjzZomRp8DG6S6pa22u3Zs=',
        },
    },
    '04.q1': {
        'kind': 'choice',
        'salt': '181b3964f7a7dc65',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '6de335a6451d482052d995f5fb307078':
                'uyOa/EQioARc+FJXskpJKR54HU3/eg0YoLz2sb1A1oXDHCCD8IXMa8hqw2YGDeXg/PCtOEguEUA9BtqRJXzFmeSz6ocWA5KoybZDJ7NP2Yl+8nErdNrSO116YA==',
            'bd9116631a02e19d0185787646c625cb':
                'Etan2JXB8aQksAVB6WJDOHN0aB5QeDQmXxIGp7iHwjwlTjbMHy9+Bc8FOCm8Wh/cZ8xDjs//Ppj3IG0jglDsNPrdlBK/KKiIBYUkfROOhgv/SA==',
            'f552575aa6cd90e4271bfcbc3379d129':
                'yA66xUn5PBDFdmpQuAg0MzKoToM2KxubhWM9OeLbtcjEHG8hlmsrI/D/cDvdEHnciBV2UzNHWyp/z9MXIDXFHd60nB/t+kKwjPdN54sxYLxTKUdQdYhtuhmZhGb5tiKwShHViIGvJRS+RCZ0ADwS0HN3dfZjpV9U0c16HRderqzvHsbjLg==',
            '03b040000182f27385e14de297e5cc4b':
                '2nfzZAqM+Q3yv7CjAFcA1weiChVroxm2Vqw9jjLwagDkIgVjkQjYH0x8c3GSiZ0HRmLrh1mEuuQpcYs=',
        },
    },
    '05.q1': {
        'kind': 'choice',
        'salt': 'b5511bbe1cd69172',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '39b2b244532c6fbe4f0d65e5b13e4cd5':
                '4wRcD0Xtqwwv9XxebvViJ506H0ESAvpYd6wpS1N75cpqnH51q8WYpHNbC2YMg64mIcaFdB/ho2fo+vs0zl6O4Q0Xt6MlXw/ZHNQ4cBRxI1cKu8lPk8V0Ew823vy/949fDVSYpZ64E9vo0wbftx1HXXxhdeZkRuRxe36LVKEzh1aYeImIP5u/mQYadx5whZ8bSAmTotAo0iU=',
            'e1a7f45d76bae0a21fbc3f75b171ee0b':
                '/QoEd1F8upjBn+iqYJlBYoo2xn5cjg9xKvI3c9SCMV/D/TeOIxABgVuDcfKvILA8jHVZYR5LvtKYU9DFIQsVngFBQlwMO6J5cGx3o9/87BDZG9++GcqHScHfFs3R8ORjJqOJEvbKFNxiyaPbYV3dSFCLKsdJkP8bVM/zdgfNbYkzaC18uw==',
            '2fb965a27a8df9d4e67658b466b0d4c0':
                '5mPngzPMvDkz6hyv28+QEoKqxLQ2nOzbTDx5GV0CtQb4AXe7BWsNY30dlnwA+SiclaoNPfgws+D1ExA0dOA1Wzf1sRxG/8lLvqv8hQkzh2VUG5053QX1kVTIBrRywT8ZSRtl5rt5VzTAPPUkMq4=',
            '3abc531a27338ca4f6a727f1f55a3591':
                'N8btF2Fet1wj4gAAwq4o+qqsc1RI1J3ilexe7eJF9IRHVIocR9kWJHLi5UbGaHOg8gaOZQtbInonxTHe82YwRbQMm75GwHUfBbSWOCaSJSrowUlTceSAdlRxAibEoKSAROjs',
        },
    },
    '06.q1': {
        'kind': 'choice',
        'salt': '710ef2db0eaade4b',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '310c2b53a41b4d8b24367aa2bd307e81':
                'rMiZZWtZtDE3ES8nNtxY24hpc6OVO7W+84VfLxN3o7QaCVd9P2Cz8gffrAtbdCaB5xPh59Wofc3KEF5QFd/GzLkqNEKLBp8qkGIVeKW+yRgC4tJ1e50Qxhu+5EguMBGlq62rrInfpzKDPtlb8+tm2VsppB2kjJjXWn6Ej7yv',
            'f7553afa55e0203a1b31243eb0ab3ff2':
                'NH9osiGpmu0rb21HnNflnET9OHJ2fXaWYxWFzO1b/ZD9/Nj/HHd9zPouXCxWeRjvLuMvUdKOikHvhnYjhm7iexjco1VKE/Jyqc0KtrLHFQsK0oOmW/JYFoNJus2kvNdeWvgo01uf4WxHaT8sIggtuUGalDdGRakrwmpVFVmLoiqVvmk=',
            'e48e73254c74902de345a24868ed6b88':
                '2oJM4uZLap0avztOZADAlvoWdvNzgKtbMry4l+xYVoxwcLHqPGHLtrqxV5xveZDMuxrCPfBLDcP8BuN3zEo1FneduoHJO6noJvdhfTQEyNCShN1g6ezYopiBfiKfKobmG2qI3TdCOsMTrz/AC9tnmgHjcbHzsMNg0QGbFceVLT+5g+wj/4NLIrY=',
            '92512c34a326701e83188a5d1ef2199c':
                'qY6/IQaKJLI/+2OUkUj7rFz/5xaM2HNl6F1WrhvVbTIhK6dAxoeGUr9JArAz5D9f3PxgB7bolUnlLw==',
        },
    },
    '07.q1': {
        'kind': 'count',
        'salt': '492d6192be0bf6c8',
        'hint': 'spatial BatchNorm keeps one mean per channel; each averages over the batch and over every position of that channel',
        'answers': {
            '2589b80c3e3becaad4e926cacc4b4111':
                'GlecZLhI9zN1/EGNFUaef0Fehv6mf7Ft+mSSD5riIhKW2LuPkfs4KE1uaDQaKYuT2JscJUgpYmFMIhwv0rj17JRAO7YRX0c2fQdxcmFuAw==',
            '14e6a7b83ffaa37495c3ae2b28dca73d':
                'EJy807+bMVzpV4ZjSoS+2WvWJ8qutnYcnqyBILp25vFMWRJRpe8k4MM+MGG7DJOwMbzk9SvTK9ZGZXg/IIqfJAWsqkfrphozohxyHdECef0Z1on6AbAPhfFAaNDyHXzXkWaF0g==',
            '2f5ed24e910964e2b5d4191966725ef4':
                'uJt+TJDcN1AS2Q9V5t48K8CaBzE1+MfezZyULTwI9kwENTlSwN1nrpFmFO2dWb9AchQLXgBcACejSgw6CUVZ2otolFUSmc4Rm0CErI+6JYMRwA==',
            'b5d4341eaba24c5c1809fc9f6badfe43':
                'IlV3sj+l34OuzeoCiQQ89mYUUzHlEoL1jKSA5fQRZMBl+jOruEuj3sU6MafVWIN2sqtxPCRRKgPtG1sLHS7mX5u8OXUPRPY=',
            'a890deac841925454ce5f25ad28271ed':
                'hgGHvT13SBHYWwGWMup7a5ppPDNKC02EfpYDLsqOIE4yq0bVRq2Gmu53nt/wuZTwhEwzL8dyaAcFpyeHxsfEEls8l/etIVaaRMH0',
        },
    },
    '08.q1': {
        'kind': 'choice',
        'salt': 'cffe84c842fcaedf',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            'bd132ddaa06eeffccf233b82964918f3':
                'm/KGRvf2VZK4hcpk9nHcFwQFV/ob2VkdpHJMkNormCk+YwzzVec2jT2qhtRXz1QDrO/xL7btx0W74EVlpQB/q5TAQerRT4+5ZyxBzMJx//Y7aj/y1S57QnWKHYIZck1byd44P6go/Qb7k6lCdvs=',
            '4a7c2d7ad1a421c7a79dba6fec53774a':
                'tu5fBlQSoQzkNMOd1KuResdh0e9ouyeT3ExQHeGImymjpv+XqtSSTdAHM1MJ7CDicx+knXNufgqp1XbYzc1g//D4FR7Az3sCHayVb+OnQHRmqID+Do/b6ywxoJjwtFZ1crd2XUx2RvUJ83IxkESpK2elFgxKFnaOzWkN4uM34rFH9qSQR4fYYLzJcg6W6hAQx9YJBIUBPjEWDDGI6u33',
            '15c04b6c6472777dbd7977653d069754':
                '2zJ3KtHy8nmin+3SQiD6bIZUeEi2RYWRnlIW+4q4MSNqHlQ5OfTBDiMXM+8SS/d5B6ZIlCp7ROQCW8igjB7Bm7ogD/zCdOKCKHs=',
            '041ed94a097ff43957f30017314b66e9':
                'nFEBYa2BBqiPPDGZtHUj0X1HQuX6Ig4YGN7WXPcTGioR1udZWICbgAjIeyaRpR/kcWwRqmtKvlPn',
        },
    },
    '09.q1': {
        'kind': 'exact',
        'salt': '3ec92373e0124a4c',
        'hint': 'the loss does not change when W becomes cW; differentiate L(cW) = L(W) with respect to W',
        'answers': {
            '19ca46e87c1a73f0d262783fe9057c47':
                'armvBD/DUViUaeZq+8KecPyE7IJQamBAgOsbziTOsID/qF1XYht/PXfwzrPcURGFeQ4yohoXXLEiK8uiJKN9ow/b4p7S2BxDqk3pG2b3vuyaEHrL2DjYz8Ly+SDn',
            'e13896b9b39e62841869aecc8756ba0c':
                'rO9Yke93MB/i6FO36SSLjJTkswfx6DTYsAtLcsHHOW7n7Lfrip2fmmXjqltNhXAZktFrD25/YLFRG4iOvO32CAT0MKliYYK5uxE68x2UfjzXNojJTGDvnV0VeHpJiUozRk1+FQ+TRCFitKU=',
            '9acd8b4b436c45119d471f38059f14a6':
                'HH6Lu3vlVcGULaVL9u2tuS38rfNnhoxmC5QQHwa8cQTR4AcKhLCqlkzH+N1hA2Nt1QUjBsm0EhFuNg6483AT4nTmqvgvrJygvabzQ8Yuv+4PVckbbD4bATRWY3IrmHJjcl7ZPosjN03Tn6B9tSAywHnYp564Xzcb0d4ACjxNJFfYd2fSkujwwd3ECBztiyu83vEF7BTdonlL',
            '3f5f310187c50c1e092288b74c1ffa4d':
                '9liuZFCLlmuliz4wziR46+n5oRiEx2yLSV5x5UpXrtARraMXO7ipGU6n3sBR6gkbN66JKVsVGUAmuT+/1VaSpg21jekTqRMBRtI2FQ==',
        },
    },
    '10.q1': {
        'kind': 'exact',
        'salt': 'af4fc98d60e00fc5',
        'hint': 'b adds the same amount to every sample of a feature: what does BatchNorm subtract first, and what is sum_i dz_i?',
        'answers': {
            '49b7fbce6452d63473cb1a411d61b363':
                'JVQgjPlcsIDBYkHl0z0C12Vd+tWOQ40AmUbIFoKBqqJM8hGF0XsqJiyGqU7ao6TzuOJehoYotpvuxXuEm6UG/zOCfjEq2zRcuOWRP0sKTu6eD9IXwiSN3kYFuzL3ICUAmK8Bvz45qW7LiN2XGADjcedLOljIBy4H1UbX/3wegE6C64oPt64jrN5MINKMk9QqtsJXtw==',
            '500f274a56fa080eca6d12bf52552841':
                'MK26JjpreOIryb5i4WkxA+VayexwvgZNk6mlYiEQbeQ8molEPtirC68Ei3tMEizupbcjXeG5xJXgMzNB1IYlM+BGB7Y1za1CkSZARNJI0jTg/b3E',
        },
    },
    '10.q2': {
        'kind': 'choice',
        'salt': 'a2949f5903f6c6bb',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            'edcbf654079385e46ef7e2efa03c7c09':
                'ndwGcfGYhsM+81wRcgb8rqsNteyv3UbseulYhj95MvxSf2CwlRfMHYAE7kmp3kO4p+AsUb5MuTpfq/tfKRhaYig2Ib+ODdk5LAIoaNBJZADxIy9z5JcPfjJosvKyBrBBgPfDIYVIU4OGSL/ZrcyL4mY10MMI2HZGVWVP94Za',
            'efe5a33c6ca81e2b45b0b3aa328aa768':
                'wg81/ScruIeHOQ5AeYAn5oBRon28JwpBu0q/251oiIu8RGHlCdrqlTQ2c2SE9apcpBAxQBkM16G/lzJJOiZfJ8eEbHBQsd9z9FXDRbU7Aa4xBMRKPpN5GTr+Y3p4j6vHi3XmGdjxDQw9vBrr3UjhyhZeCnrHLmROINZL',
            '082bd5c39cd2250014c570494c728d94':
                '2etncqr+3NJ3Z82eUGJwuFp0f13JqnH0q+vb2kaicLiNkH4FXM9Gbr5z5cj/wSr8x0GIQGYRPCWoOLLtWpWCTBo/8WukLYrP44XFta9NNh0rW+/WeS7ukfn8UxFbkidi5n+FefmKSOxi4KyRCPmldZRm73jUooS16fPQLnJFomv7hf9oUQ/0KYsWye/jbmkOKtAy6HIaYg==',
            '023e684f416f5cb407e7592297f1c51c':
                'mCrrioci1iig8gCcuFAY+B8LSHf+ict2F+rbg6uZV9cjg5nNHK8+J15+vwQTgp/Wk6+1/aIdypQSWkzk/QkVRSLAAZOgyk01Z3N6/XnJkAW15zMntlt5ZAqacJJaVfE5UhX/MfRCghD7FPkclgJz8CwvQTp4',
        },
    },
    '10.q3': {
        'kind': 'exact',
        'salt': 'bd0bf99ac4c9dd21',
        'hint': 'P xhat = xhat - xhat |xhat|^2 / m, and |xhat|^2 = m var/(var + eps)',
        'answers': {
            '38466b2621724975d3817322044536ce':
                'rffueNJKyEJ3giZMdIRw74wyMDejl/5RiQIUSH53DLX8cxuF1YF9F6fhFT5euESzmbYN9LE/X0aOMdUKALZyk3iqw8a/CL2weQ==',
            'fbe3964a0ef27ecdec7bfe87bd4143fb':
                'RKjhFptvgy7yA/Xg667sovvc81oF9s7s6l6Exurux4PNCUGFWfrn4eRFVWiv1SHocZhYpGrLoGP1kiHUkEtAfXxrnlYl0e+xrhupvw==',
            '781b86458b662fb7b344543a1247fbfc':
                'zjNCUwNc+zfD2Sh2WdK8H2KtuKKHbksqaToImv0510RI8RuYZ1kCPPawSrXt9dpd/FvaMMTvHUDiFM5h32E7Eys2pwNFUj/mCtFQySUQ1SULjh0Ak5XoGFMEJOmLYrxRa9nm',
            'c6310a6a95065fc9586a3ab0000d98d9':
                'jB3GoXgshrObqHac/HkH0spql7KS6FN1iGMiJOxaEw+zDFu31Y8MD1WAfVChYuSdjOvm1rcBaQ==',
        },
    },
    '11.q1': {
        'kind': 'choice',
        'salt': '815d29be90cfb230',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            'e138cf330a1c62029812de5c35f7fe1b':
                'xYW/p9bHKl4j1uViJd6RSPm2oYHY920jlUtIex30r59aiGfs5Ots7HONsFsSJLcCQefQkubsRrxB9pvQUpscH3KsCEG4P8vTr85iFHPDhh9FxyTvmde3N2Rz/ME/qfg5yaBKr27SLGv2T6r51sxXZn19M/jUcf5K9HwuXQgK/RbCBno=',
            'aea711e7481f5cdae03013bc189dc828':
                'qEZ+z4IcqHQtXSuq7mceDVu6p5iYugmo3PSZMIJn9W+dKf1qVwnVAu9l09FrDHEE6aKpqZbH+53ducsY0ThYre72c5KjMfS9gH/IkpfAITY=',
            '35a88c95c1422fa162ad81e4f40c17d4':
                'BTDX79IwUfZlWt68W4qaBJfpByaP5VHf8tgPq/E56+xWZ/2rm7CH7w8Tv6I/iA==',
            'c262da069ee700d844049be6617bc828':
                'EfNoOma9QtlYxUoWyeSpPVI9U7+ztOTQVme9BErXGI/pXvpioqX91aniHQomcn6cqz5o6gqffgQ+LL5Y7AphFgcebszwZcDaixDsHzDSlC7S7lvisinch+UGcOiDonXtoVUSerVhWXyjDVuhcw==',
        },
    },
    '11.q2': {
        'kind': 'choice',
        'salt': '4d3b865a154c919b',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '950e3a599e7aefa027f2d1a038f8413b':
                'pGEwQfWP8+Sk41HPzjAikqb/2eBztixKo5JvqnO3JlmUzHtZqhuIEj1DHix8ggP0iXDLHuwQF/zGM++I4ryzciXBVBO3rGGRVvvD/xPZRv+RH7eIkAWMvisZF5qXZJXObjBmXK6UXoQ9w6ilslk8i/Vm0gyiht95ub2v9zFvmUb7X84AcyxXBQX9ayFrP3INMQ==',
            '060a3ce635749d8a0b5ec6cc4ed4fd0a':
                'VxDaVmAZ1A1r0HJ8DjgvozY/ijtkdlnySncEqlf5vMbFUhwT0ZnKrek8rx4ro9b7UBVtYzpXnrNEDAN+JKxHf1w6MS6BnlFXsjAzu+MKjfoiTghLVyhNUlVTzJAFPkqQbCaoxM2yxib2EyfUa+xd/BKykHCK6v/n/At+dpctBUECPy8CQOHh4BcPJTnUEFTeLnRUMGCX+X2+s+POnKEe',
            'e4294108ec908ecd5d9e4f08e7699f2f':
                'udiuBeamyIewi0xgsP2WDYIz96r5VX5pMO4i6R8ETa3tejEoxGIMJgbTD9PpYlwxbmS2TWPOXPtKLZCEP+Nn5o1Zlm09PGJGr9fH',
            'c070249a130736962bdd5c0abadfc16a':
                '5kxwvJo/LE4AiX264OidWxLhs6OsrSc3TNi8YhSlgaccRFX5adSVbR+OH4oFmYtKTMSCDw==',
        },
    },
    '12.q1': {
        'kind': 'choice',
        'salt': 'de1149b5dd96a129',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '43e534153fcb1d288385a656ff36d964':
                'VsEcHh+AP6DJtVYJCAOGrNsalN/3eR3rgzwAfrIUHmVmnkJqfF/LRsa4Lx78Lc/hrOjmbVtUBGmUJWSvn/kiRMkaojfeG0Pp+6b5DE+1fdn/LPM4shmiV2pnE3NXGL4vcnrtXYLo6REExya9aKCceRF0wfcR+2dJOQrRtUWMxiM29mImQ7F603nEIfpxtw==',
            '2033ebb494144e21bb353e29b5a30b14':
                'ogzybICPRDYlbeqxIzS6dOFuMWpQMcMZq7ZaMjt9yPUAQDA+wzUevuTmla3LNEpC8nydzb2DULwFmqJ9eP/vLFJ06Xwl3h0NNLVYAhTIfEb9xSEjrQYrKZFoh5EzNgXb',
            '48a573de912c7a838694d75a19be1bf2':
                'SKE5jsAYcelDy7a0fVGWvWbGwp5demuRm4rloy/QIbgDTOGV+Pg7IwvxSMqcpkmSUiztSCrySWwK7SKUw43IkZHRpVBsURmMTS38c9qJ33kXQo/2/A==',
            '5eb97d57bb3907274b0b0bd2fe706c7b':
                'sAJ2FiOJZJt/8cREbAw6+ABHAP+VD9Hq+VGoPXmqTxTDllRcKjhyJACwMRcVRhilh0UqUU9yTkkwXtny2+NRWg8LkcMuFnJEW3dBeNim',
        },
    },
    '16.q1': {
        'kind': 'exact',
        'salt': '774231db6127a3bb',
        'hint': 'before a BatchNorm layer the gradient is orthogonal to the weights: w . g = 0; what is the squared length of w - lr g then?',
        'answers': {
            'cf03168a7293da24854db784186cef47':
                '/9xxOcHgA+s0mv0LRq4FabZIaB+IUv9ASwX23ERBxXgygg+N6HUgn4L1jx+81BEXAzj3SV4FABRBRd24HKcoAGf/XbJA8VkvtquvW5+xl4WaXJ9YITn6nTVIdv2YEqSjIWwVJmYPmR16Ubl8G9v5CtfKuDNIyMhi59hDTQ==',
            '8f342cc958e16c0fb13581f48971f303':
                '6btCUKPTGwmnkoizTFK9t2L4qCNIZbkNnh5nF7N6Uhcz0VvC2B3C0EcdFmPvohLc/W8FTj3Pic1tu6mUWGvbe2TOKAr61ReaPnv4NYskG+ih2smZHpUlkJXB5nnlSNmfyUepR8vuYYfvoazwT6iFv0Yk9a/FCPn5agA=',
            'fab91bd94a33adb523ad188afe7f3b98':
                'LYZDMQ0KdSwFDjoxze38Xin5ZtRdlwKGc2ppMlW62XLL5WeoiHmuFhTR+sMqDbx1/sNz3CTOs2vqw0GgLKd6y668f1jRUyB1h/5x3RjvqGsysqGesy/2wwOoeW4OvJjYOGffPjXBrqpRG8hAkcc=',
            '8223265d8f1b176d97d5713814744fba':
                'l6cMftmca1A+RWCbpwBJWDPfhTU/lrFCrS9bZNd+duoR+xK9uxDDaNB3UkKG4+S/3zCCupmH/yhtpZ8=',
            'ea338ed9a794cc5ff306027a051f350d':
                'LY5irJgzxjTrIMPr0Mc1TgTr7EjO/7LQNtqfZBQvlh3A470TLPV8tLZDvF82hCX+Y+M/XP2+z7/TN2crRMObKrGqxB0jjp63/RPuXkcMO7S0FbpdV5fqaVwrtiszFk6dazse/Zh/dfs=',
        },
    },
    '13.q1': {
        'kind': 'choice',
        'salt': 'aef3bb624f35ad21',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '71411bbca0e43d4e567d488fffe49b74':
                '5L5RLoJrdViUAL/1TgAuAong3nEgkWC7q+ia/aa0oe+uYxmwgwCUWayzL34A3K6tAG/qE+y74iS0xvY9zN+MGQT92Xq4pAKCO9KV3tD+XFa8EEw/+nXXU+WUY8Yyd//dMn/YvG+Uzw5bFzyQLfHMJjDRSe3I666oDM8PGtqg/AsCXo060s6LTxVdc1UfRnPz5MBU1kmnst3iM48OyRYMRcT7',
            '47dfdbb4cda1d052b86442a44fffea4d':
                '6tLDgaPoOfwNTx+OsHmOtLL9WaBXaRECoXwPrbR63tpzp58MVqiKjw8g+DxCZCEhmdhRt6bG9hyJErOWG2Nv+/0OKO2t0c/Y+Zltt2Ck0iW16IP3sB1LcZMiLCU7YH4X/pp/bK+wcZuOsIpEhDIZyNs9aQFlcS2E8XBbBxx9W+3Rzhqkr0/I0XPnD74uw3jIDjo09Ojbtk9w5ko=',
            '7915d3eac9a1039de95d948c347f1b25':
                '67O7Qt/Uq5X7kSRnGz2oPh/Z7zrllpOJewMVMbvQld77sYetbss9TLNkB2uDqSP8+4gcncgrKIKkwee52H/JN3HEC3qvNMoVfR451AXUwz0lZSIjqjJBPlaIGJcqR0RmfKi6Ml729/TshT97gxYxnA==',
            'bbf993556d359db0a42b3dd2ffa0a277':
                'kQvHCRkrGCbp/Nh9Be347qA/N6+zXsxW1bk9n9MZx9WEFPvXXb9zNqre4xTk1/bHpj6Pv1NWRtGf/IgbAmp6EbR7xDy+gapClm/k7QFSIZiQXdzLAYYfoyVqSOCFWG9PxhaHyWaa3iWOMNDJA0xtoC9hQNbeGd96BHkS0w/UXHAu',
        },
    },
    '13.q2': {
        'kind': 'count',
        'salt': 'da61d2e7377915be',
        'hint': 'follow the factor from dlogits down: is each step of the backward pass linear in the gradient it receives?',
        'answers': {
            '777ec7ad004a427882f1e208b9cb411a':
                'Lr0Tgb72F+sm/kbEvv68pB23ghH2ZxsUB7ePmQYrN1PXGAAR9OgsJrdbnlWG2ftrp2DJ6h7V49ebRsTvi7JNXc55d7PIxI7MtJS2bqX0YNmGU0Neo6It/cWKH7fA/uD46j2Toh/6IlqrMAXUXjcWvekKlYZB7yvTgBG0pXI4on06abGsd7gRiLrXnX7Ey7mNBYMfKWL9Cqr4SfzXXWLza4cp5IcQNj8F5bDQfpB+q3228sUovfVv7Siadtc5xO0=',
            'cbb950f81da0ce153a7a681bae09a4fe':
                'Aitt/yohou93kd1RjOOMChkP2k8E21DKFNveKnX+gfKAbQ5L2h1i9zU8h85HGP4AhNPgWuL8/jOPnO8warwrDISvLqhdbWVYYNoucBJcUHGVeD9LFK4dphysKeKl+DO+9JBb7VnHKEdgJBcO35QqoX51QQzBSzgJlveoGwxx9FDDhtIk2pdrA3nmowjp9b3JCZ2gh1Xtq8rgPih4',
            'c82f5f378289c04667f34d064345b9ba':
                'uFauKNSypBq+mOB6BxiYnLs+tUSWXaurO+UQrEp9/lQ8KrKTJTyWMknGGMqscIxktgfZ3hQbQiGFnUGT6JJ6SeAjUIa0AGhM8nAxlACyidlFImWS9d7XUXcrnGf6u5k/Yg==',
        },
    },
    '14.q1': {
        'kind': 'choice',
        'salt': '566ba92ad417adfe',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '5c6d76a4d79c36cbbed33a17ca585d26':
                'D8wfNFx9CV0tVUe87WpDGmSufB/0avyCMGV8LncgkuMHLKX1LT1mqyZgZKV2/Yj6WQSp1Q2M22ko/7/1XjKPtOrvF+qj1SEtaZimmrAgLW6QPrLYEVM/T9lxu4rW/GeqtXs5vJAGQbJKLNVhASXxrscLsoPg4v0lJI6mOtVXtLRxc3XR+Fg+L0vFwlRcKWhb/BLHXqMZKlClfC0rqjkUevazVrAA5PVPztOoVBBQFTKROTJ7LkmBnUd5PZUtWw0KIHo9tswgrYXTefSpY9wLUcOHPrlouKbCe78Atw==',
            '044ea5d3f0f73c56805673417973b43c':
                'r8M2lrrg5NypP3KR27IITPufcmcZmfBnQ7Iu4tE4RFvHsB4XADerKDh6WbvMis4K5pfBtsKpk+hXRKbz4o0oiZM+l1T03d3xJlyTWRxePVVYnH4Q4W1QN6tE9daq9sksqJ0o9waWGIBcs9WUWfI+eHO7A3l1XPMLUFpR22nQFtT1Wix7F9k=',
            'f1bda2d821867dc71fd937eed406eb12':
                'ZMgVSsJyGLHhriVyqO1cImeDHezei9Z9mBeB2dGw+bQbYB5NbcnDrNHvWOzegPh274sqyatlaDST9Xy53WsTkIDrN2diELaoEC7HT90579nmM2LR7Y9z/yV06n2oSKrNWZkTb/s2ocBpqCcLbDkYNlhMcLjtP951oeV2',
            'f7fe3ca0a4007301df2945c85dec0f09':
                'cW7PvWd3V0/XdRqaHFnsDpW1pUXS20/pHQP+dlkta+uQxjbHt8NDF2KtKr5KLMcspRsiJizKFeGap3C9KIECP602NRejfGlew0MC575rykcllVGFg1hG3IIASLb84GBD7p/kZz+HKlNnx9LFcpsdinEhPrZwaC9bU0ACgW0Cmyc7YPuj9/E7BCfaKC45',
        },
    },
    '14.q2': {
        'kind': 'choice',
        'salt': 'ccf7e7c497818222',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '8a125803591e4339cb49231b1f0bdd80':
                'j1wUZJ7hf0ufaSaC1utgx9JEn/iu7ZrDKh3OKOOwqtSaxp7jn1LFgxKKgyr6RT8NapYZJpYSTQjF19gu54YlvQBNLp0zCtwsG99g7ErBp3AMIyTczOwV41DUugivemKS4+hTXBa76ZTxFuf0XSRx8FpcQ+LvzGLEppjjyylzpLXo1bLCdOFG8+3Bml4=',
            '513a0d96a370f48d1933139456e7baec':
                'vIskYUdIDMyGIHpH8wjcSUwos5Hmd83GgdtEavdqgNUYAs49aLGklLbPXVrAc5WaTSyXqhNdWSkz7aFgIu5+C8q2gXnn51vBdEH2hFowJusayLYBfQlNVcAZ5f9d5LqzKDu9EPdM8/sfpNn1HRKbxz3ZFi4a7bzGpju+UoVDqFPRze7ClLdzQxJos6PSrdV1DbjVAwp8Miklug3FMhdMcqBRmAg=',
            '67adb390d4bc04d60dd53e72c7a6b52c':
                'rkbVmlh1v+ft/wK9ALWmKc3JoXnFQKTUwqwGugBXNHfDpKYVehzb/O2k+GOuFR6Yu3K3hi0jHpmA40WJ',
            'd4ad1e90e71e468812ffd64cee945d59':
                'v+u6rzXPY+4Ig3AiXvI/p4Pom1ABEAcYw7zqfkvvlwxglhdNRlHAtYlHHHx5sZpp2Gu2hCEoQ/lUnumSPzS6xI/48VCL8mZuffjYpSJaAbPX8dUjWOP+qVc3+btw7jNlfUtejj5FdTxPy8aCF9rNckdI',
        },
    },
    '14.q3': {
        'kind': 'choice',
        'salt': 'dee0f3bc25822020',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '94d22f0011933f6d3b01178eacae98b2':
                'rRa9gGCA+7Ta4z4sR3ZFLpKcTeT5LIVaBfYVMM+G/g1f/ypXN+secjCQhV4wzwqADdAenebx0XmOlAveVoCkzHrJqe1N6ulWCLdMTUj14lzRFgqKx54IXjB1EkWRtiP3p4udNz4kARO0O7riEUoQ9j43eg20Gg9cCEdVH0RefyDXZFrvICpRrBuGSvo=',
            '78027abe59c6909b8f500c6ffab27ea5':
                'wyS6meof/UeTaAYZYXi1PDtWvalGTqK0tCFc+ElNusJi/485RcTGd4koZ103EuKE3jYJfeaQNKCYMVWgjH5wPc1mQU65Tr7QKEH82fBABc+3KWpBiaffHkrT/4LaCOQMDfIZWmznvg==',
            'ccb8441f5bb37b0136fbaaf4b4205c74':
                '8YruYaPdHaw470BfOYNPtOcvTolxOWx+M3eiAq8XJC4guNoIoWtslO2U37aolI7MRiya4trAY2oaBd1gb28gMbGkbx+ctLseCp4CeSM0/JcfAfEwmnjhaDPitDYFQE71S15T1wY62dOUV3anLYsyEqqAo3xnINsFhN77vyvEDuR0ckIqWf7a6KT6Y74nvOcLIlaWYLYn1hhj/G9Zg32hjcSGVp0+biqXXMVOtQUe37IFUw==',
            'fcf833f9134b47525ff8d142896a5c53':
                'iu45OrJOLrw4BjPPy7QTUFVml1DXXWAvpECBYsMCWcivk09rFVZZnAgL32IXoxtglJmyMAmak2ewRB8HafxI6fqgoIS4FQ1bFzRFcwv2eafPhrKygtk2nr5awOiIpZechPKjuCci2Ee4MrSbZd8URTsZlQWh86gUyVNcjvMsEEsWLXfLG4HpgOZSwXgJCl+LbhYkSV1cdfnfpsI3EzlC60DHAdU=',
        },
    },
    '14.q4': {
        'kind': 'choice',
        'salt': '3d8a2d0dfedff7ef',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '12164696b4b5d042908a7ac1a46ac96c':
                'sfSWyherm7Ls/0tQP8PBs+rp56BSDJOzbv07xACdIww+de+oLjLCDS6mheK6QrVUEoBnz1qoYGoL7ung7J+reHxjnw00EzktkiOf6cf0q0PeYU2yHp3CD1vaPKS34McuUbMptvHRb2FXTSA9hHsxYPikeYTVLHYwExZ/X6GA64V2d6anxz0fj25QjeWUMk65armA2tYXvl07CEVkzkZVG/b411cki0LTDJb6uA==',
            '2188458c5901c76ee282a54659b08eaf':
                'bYfTMDNKi6lPAwu/pwZ7QzFtbLmSN+njS3iME86vLV1rSGP7GH0EBo+l5UIfeRTqqKz/TmGYS6LCO7FvjdTUKBoM0ykJBEN0c/rNqi0=',
            '5bfc4af71366048234884269b2c3b5d3':
                'K79yWeVGWH2cQ2WHgPkrwR5NTRfJLOX6dx2uRrsP/ur6sX1VKG2T9dWS8Y/j',
            '41e2b859178bd9092c1a593fd9e16880':
                'ECPJbQxrBMxxqRLYnJHH+dX15Uwz9z88wuvUXwm0GRbwFaUdmG9Pp3Xjp5SN9ky9GNYwzHj4BeJRos+F4ztJ1MfZK02YNQ122mwyOZPOEmZ2yoj5ue+aCg==',
        },
    },
    '15.q1': {
        'kind': 'count',
        'salt': '4dd1a7dc0d33661c',
        'hint': 'look at the compact formula: which sums over the batch does dx need, per feature?',
        'answers': {
            'de35d8117cf2d660462a6e24ab17ba81':
                'MMp3CYB4+SMpbge/fB1DGwmPj3xHZQNLpfVDqFcCGlbCtgBaA9bEMIvcOFYEeiGJXxXnEXBQOSn5ej7DARmrNGtfuzVdvJ/nPWLBaGNJxOkB/EAxIE2zqZwLtkjyyP4=',
            'beb12ffbc52efe935c9ca26dbd8031a1':
                'RowWGKh5bgMnL7Kv8mOrEbdO8obGeEu9Cn9uCm6gRpJFVWwpDe8YP1VxGYtl8UhMeioyx5qGUlxjHlHM0CNCY++cnUZqp+p46kc=',
            'ba1f7c5a177b729e6d542ed3f159125c':
                'mp/iRPpbuNk3y2YNWTO8v/NZEzjagqENYRDJnoVhaVHeICV6vuTFWxGEzJ9ge2+LfSHuCRZy+StxOsdAAZlwLMip6cITh09MQj8LRssP7jr/MP1ePw==',
            'fc5b461047acd3a263c2cb2b058f71d2':
                'cEqmTlreqXfk9mL/YmN0uv9DcMrXg5aoS95mAuxvGsq+0F0kFQmpmkPIjvWyrwrbI4EKoSVJis9JfOuWE6pWwGXFJeLxhj4mqEbSHU+u+xe3c6dIsI3idCg+ERrpSK12p3YbVMbgd7P8JiJMGxFRiCQkhP/o4El6md+j3Q==',
        },
    },
    '15.q2': {
        'kind': 'count',
        'salt': 'ba5a11806fde0305',
        'hint': 'each virtual batch has its own mean: how many virtual batches of 32 rows are there?',
        'answers': {
            '34435ff7c4fe36477d94811fed3c76e8':
                'PlFUQ7vpGGUr7EmsonOx8PFuTOelBTlXyDh4W1NXGSNeg6jC26MD9hClaKYRh8I2zG7D/nv8iDeTp6olRa1AbfpsQOqI/FzlwqfKgVoQ',
            'b32239a46548e6cf7cc4828a96e8f647':
                'QDCsuiaGu9LMPQDaZ7wBdQYww9gOzVI8ibd6/ql6jxmLq8EpgETahAIj+Q8C8bjT+PsSwx629ZG5dgPkj09uW94IGmqmX1AqlA0znr2V/uzip7hFSBXhRkI9il5D83DmHRcmHWU=',
            '5d850aacd95c2ec0abf54e7b0fc98183':
                'N5IG1KQh/ugpIyeXeFpQ8Rq75tTRN3AEz2UmqomjSibUpqOdQJhkAoNl4AlX76teKlPHD6zMM2RQCk7D9ka13FNPxA==',
            '6cbb97fb56529ce90b28b83353296d3a':
                'IujVed8HYCXjZdDh433nD5o2QphoT0MgZs93dKi3xzlRnNfZylbTDcaNyr3611huBWy1UZo=',
        },
    },
    '15.q3': {
        'kind': 'choice',
        'salt': 'bee3a5bd443a97a2',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '6af75f9b8b79ea00a6ff3ef615f79186':
                't1HzUFykFgVnEFi35+VQvl1/x3bj/w9/UaCXfkr/35KKc5U/+/D2HZLQKQcFxuSBB1Y4ButEFrHU6JEBmiyh14jMxfARdIViCqtH0GapTkCBk4xyKssx2sjQXE4RA7KRJAk9T1ll+cWvHchB8T9eBz6uK6SXAS7phTP4Vazx9d6QH2xY/NYfqZ6/DT161LYUepj5M1K6spo=',
            'cb9562115a05b3a28ee3a77648f85da5':
                'iCPug9t2JBO3+BGw2F0uPN7kf8kk+TygSdJgEV01ot5o5jVlSIuA4OvkPg8T3vSUkiVIVYCl4jCFCofuFeyjdStEsz6UMZUJQC5T3o965AyhxDGMzrc12EHhG64fG+mBL/IyusYablfgW+RW3Mw5LA==',
            '7e6dfa7dd57335bae56ebefb219f0a92':
                '5S2vz+KWmwigcDDzi0Os613YFGOcKlpKIAqMqQ/MeoR4srwGeONckzBudRASop76s65YaLZ0lVwpc7MC5iUMgcZ3yBnXmJg6G1I9WWOX+LitNwgp6yYg3JEXp1HrbaMtXUlLsFaXAmCZi8A3TfFUg7B7VJFb5XoaHDiE7JNb/vBIK0vNwvnzrJgVDukfM+fP0IV+hxs=',
            'ddf51cfd22408ec8796ece5b3217d800':
                'zk/VWUhwlqRIdmZn1oNdLs/NIc93etMjDgur7Q7WK54qKbAdBRAmGPOeADCCipLfASXY/ew5Su7nNPLuaptOu2W2MKKvix8D50XuR9yohQ==',
        },
    },
    '02.q2': {
        'kind': 'choice',
        'salt': '7966bef9c385237b',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            'e890ff0c7fe402f1fc688e41d94d321e':
                'EMEdsJS9gHLe/tRF8JpptgsJTx7fH46C/t1q+O8O58eutUkoqjGyXxtZDcGszP6kLW1UjirE4wKNDPREuJKW0HSK9NFg8GuwDAmSMZ3s1HhJ1bG8hPee4Nxe3acGgGuFmbZsK/d3lsU21iEJlIVnD6O3o0CLzAd5uQ3LLLonTViB',
            '50affcd192c2b068ad2381a64f0612bb':
                'AQp9r8gxbYnZVHOa2gSdwq1K5o+mBgD40EP+9kNCIGj9pQnj60kYFOw9FtnHRxKvEvNtwDg2WvS5nhuVAhDlCARA9yH3k4lR+LOyIMwLQ92blHGQPjh+vGOpM6UmyF5mPz4YU4cLTBEhDxN/5Odmcm/7hJ8tzVs=',
            'cf7f1ff6c74e39d5d524b432be390de0':
                '8np1tB0yuvQzUFpc+iabAjuE/fpijiDfUU8WBliJPyDyMrXp/TAMRFRKJnpaOB6jUo/9y2vuvFKE5pxQ8TrMwe5rpgSBBIHOdRujovqMq/GFl5pCMeEC2Ev4SneKldz3ks+8AlMaFt3689OaucFbCfYx/jqCkciZdH/il7gv8iAE3ynQjvO+enlbSRncL9WJepSpJr/ocyYbuUqcgm+9XZaHJHeg2TksvfjwY4XScQUi0btlotAA+UXOm2c5cqcu',
            '780342fe9f2a60e6ea5f730c241bb59b':
                'owyF1avJ7wPb0H6eH/aF90Ir8cttoDVvGv8ZJh0V5LhDyYN63EcvHP5c207UtI6KzjLst5QM7YF1KQzZW9MG/wGhbbwjMw==',
        },
    },
    '03.q2': {
        'kind': 'count',
        'salt': '05286eeef62238e3',
        'hint': 'beta is added to every one of the 8 rows: how many rows send a gradient back to it, and how much does each send?',
        'answers': {
            'a10e77043ac4808f6f8917f97b261b0e':
                'Q5AaWzHEPNyunUPnUGnC5nPwjDRTv0fIAeiTml3HFn+dK1cECUhvLdrcT011rc5t9+UFvxYqVkCEcc2aCqFCL6Z2yXz7EdGPDIUHgwbY+aP1u154HLMrK1sfCu3FMOcaONYqBa38Fe5/EQQFhlvM5sTSZqlXRyCkXmHwGiEX0H+R+nLcQkSsCpTsWtwXrekt8x/lVdZk',
            'd77908f234ff73c75d5025cdd628c730':
                '7k2UiJCOnH7m3jm5X3GnVy6jRcJ0LGsbB8to40iQMmefb3gTEBCwwgYHOsvOTTf6xo9iZJQyFFF4qcixny0Xo03DkeTdiSjAPXnQz4BNbsLJNl/zngWWE5EL3lLUonge1g0f/HZ95RPZljjeCUBopWD4HWzrTd26+M6O3ki0kqw=',
            '4351badfdb57d26042bd73692c199727':
                'dTMsXCqHZfXGPQDHBNDmK+jM0TKySo2WQ+/nBByU+/GyYSuEiylrrXaydwyYsCWOoZ3VPXHQFPcDKfe+EIuf8TcRtzw+oEQqhsV6WKaiCSwomQ1Cv8yIv3OiAlifYAIa4wkNAoRmiUQ4SFBc4rAG25ZPvcRGeGXwR9Gw4QovkSy04dHRm1JTggIoRUaMAg==',
        },
    },
    '04.q2': {
        'kind': 'exact',
        'salt': '51e61ab1bbf39392',
        'hint': 'what do the deviations x_i - mu_B from the batch mean add up to?',
        'answers': {
            '144258a6501b7095e458caaff006f109':
                '8Ksovf3SN316smZ28xSiDZBV6OOJ1sDFN55F5MVC5p+GjD4smARWpT3Jq6dxMW4aog6BH9Hf/6v1Dqn8pTstdke4bpi3X/P26JK+NKJ0jD6F9PyoynJdU9BBRWCf81R2ypkOFXjeoDgtYPp3DFZgDPGk0O6lmkQFWMYtc2CUcd1//tKMYhL21h3dpQdhxQ==',
            '03b012020e20a046119d792fd279b2bc':
                '9o6MYiWhf3HQVsmvLRYsO5PKC441vI05rKOLuj+AZw6WupQM8pGXLPyBPPiiDF1ykT1jntZkDaxr1u40P3ASkl2ZjUGEpYaiTV9zIdtR14qwrAJRd6yaBzepGDZfsC7M3wp/wjlGEiI1gGOZ8Gr3nSMG1jAchMFWGjCTvndo9dw7FTwWQ0HbtYz9M4P0',
            'bbdd063b7f45db5c8794d82229d26d5b':
                'e+F/6VsSW4Qq3ROs1ou9dtAMftquUYAoONIp1fk3PFMBleHH2z4Nc/JnvNbofyO6pY5l1QfOgt9xsNgPHSvHyeohjfJzm9BzB7jRqAVIl0qpsOi/n+yOoneOGFan',
            'f2883f94e3f057ae3c7c93571ebaae54':
                'SxHt9lKnAR+5iCa2XxjzA7Yj7/J50yeO+nB9WwlL3+6Xhq+hfPYHlbQHKNbX5Vyw/+Pp4fHZNy84Z0YMiO3GAMOwsYjaRqjiIdZb7AsBWXz4Rl2g8GNu7T77cQtE2B21',
        },
    },
    '04.q3': {
        'kind': 'choice',
        'salt': 'c32dcdcd0bf21053',
        'choices': 'abcd',
        'hint': '',
        'answers': {
            '31fb7e038a89b0d8856a9434d9d3be58':
                'g5cZuugVJhqEgEt39m8Rnn+dYWoMNsyinoDvO6wyDvCklrbtbo7tloeecqyPx6ScBnll14219ksaZabzc9vyEp7OiVzBQTUBQ6MvZr5a1nMRxnjFPnJECwwpVbJJ',
            '90ce176ac2719de0feb9672b8a7de30b':
                '+YDGMrOvzh+Cvqll0v79Az2JyDDMKoCjcUr7jQqc1wDq/mpGMVznuCH7kW4diirWM400ZFrWFOJBgD99JKM2meMevGgH7jIkJYMWe4rhmifAJPfNihfi9K+CApfXGfLBaPEZURzAOH6ver0X4g==',
            'ee94790e394479eaf030a0e50563ee04':
                'AXBpw752+Ini4bPEDor3y0Mt1mK5Pbtoi/tVrzejhx+elOrvlEScBC5GA1/h69RfEQRBrf0qvT3Yt/0EwgsEY7DF9jk6m2hpy+qIiC51Uixi+3LmOXxLxRC+rulFmQ3F+g==',
            '3a9f6e3eb90153be0837d831c9faf9cf':
                'u4KKdgm2sliecenlJnON8WiG2FEAgSod2RQziPoWrbUc9jaqmMiMCR0xJ9Lna+pWgkhPMv2V+fVZ2ykJ8wVfFAvSMomYOUSD/+BvjAZW+FdjmDs9lNGvquG4NbG0S7TnBMn57bkOd3nNe2BJ3fZkcx/YjtaCty6bpg==',
        },
    },
    '05.q2': {
        'kind': 'exact',
        'salt': '85880c795cdd4e20',
        'hint': 'with two samples and eps = 0, xhat is +1 and -1 whatever the values; put them into the compact formula',
        'answers': {
            'dc8eb4cfa95910a048802ac3bf047ab8':
                '76imYtNfiHSXFIQMcWzhLJT8IfNULbV4L0BJSgrJ6Pjdt0JGRb1uz2B7QiZRtSsUhjtsiF76jqqsvdSYMnBwWOqdDCuvyjihITUhrZFwifkByZdF3a2TTe1l6Eo/BDrsWEUPY/Fov84z6grdkGJ7IKJ++eQGNg23a92vtKCtUlHGR/e9edI464vVTZiRq7bodr1kNwdOjMv5eUU7PyrloBGl',
            'c48b56e5b07f7330c2bf948cfd016a85':
                'dlLi1gaQTPQAvGQ8DzkoRzg714SRQQ4nC7wSHCoP/9jI4ZUEfZ/p5V9E3R21j5FZlXp3YMEMVzPXnZkAm7tCD/M0RZhGpO6JieMkm8tjtRvwtvT775XCCIc2tIgLTyO4blcxT8veXIig32ZHPUuQOhP/fjLIMLABgcZuP2qgc2FK3Mr/rOo2',
            '504a44604adb52415c6efbc4ba73b684':
                'iV8Z4ZYFb0dCZfTU791GIzN9ZGsBovQUtc0b/QaY+HSZjTgVqteH5/GNA2i9rutJ92lqL7Ldp5ODSb5+hIOXGa7PbXHchvPMpDldC+iyGFWAIBNUbck1TMRtgTEXcs+AW+b3z7m1hFp++HC/AAko5zapM6LzWT/OJB1BRIUOSsP+E/f7uGJ768MlLNn3+hQ=',
        },
    },
    '10.q4': {
        'kind': 'count',
        'salt': '6cac879639941a70',
        'hint': 'P removes the directions in which moving the inputs does not change the output: which ones are they, and is xhat one of them when eps = 0?',
        'answers': {
            'a2071e6d0dfa14c816ec5d5dc1704b5a':
                'mYK3+6HoduMVX9rRvt5gMBG9rpT2qsgFHskmyi60A65M4lRGXi2yi7xl2+yABNi73N1i1jYOb5HeE63YOP7CyuunDGz+IszfbPN6SasqOZawaGFfNZMmFpWJs7Dt2DFkwhXD1lYrZvC7X601JP2thynp0asSrPRkiuggQ5w52IprSYXGdJ8PpG//ChZ0i1aZSQ==',
            '3f6361fa55c032bb8ab1f54bdaf0cac2':
                '8BIyGgzRBph3DMl49ad9Nuf0PbzjbFPJSlpQI+w62FlPUe5gZxlS5bXINM/2Ab72mjVcDCu1pKB+QVaz8F1QQShkLuv+1DQlf6fM/UA9hbyALENRfn6I3oB8Z/aFbKM0qafjeYDNQ73h4RZ0sWJO',
            '2fb8ff1e77990cb15a450823c8795656':
                'QYax+YNJv1fBAUtby79z1ca78jNsSRx9muMuhhXq7/xz+/I+zFa0B2YR/eiwL3b78PxL2J4Gmq/PLwc84hxHXoKNlxMbgQPbBPE=',
            '79f7b133606f1f0895c04db3593bd25b':
                'roH0rQb9+PMQzL2z0u2Klq/6XMb6PKEAmeCtPJOqlkhwK8JhmNJ0zgs32xjr0LAlNWqGwCNERnr/ynpLSQ4y6ppOAQ0NAJpXbSu5cfSWa6Wfn627V06s5+jQwX2oO/zTe+CDCTlodU/4wtS4CNehG3bIVTaiXROjNHlod/HemswkrqgPQIRum/KcwUvFw8fE5NhnkaI=',
            '8d49c2ae441408a2d1d99400a9436e88':
                'oWYGYwxBWE2jjoUv34VHDPXVHB9qo16ah37RapvbAL88582iMmNKK+TSPQyRelP8PShFTJziqIYi9EN7Gi6e0FXAYtWrDsLKPTdqsANuSkIFl09SlTwmcGtA4ZgGtQ==',
        },
    },
}

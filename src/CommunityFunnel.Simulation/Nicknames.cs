namespace CommunityFunnel.Simulation;

/// <summary>
/// Group nicknames: most follow the operator's "城市-姓名-职业" rule (e.g. 上海-王芳-设计师), some do not.
/// A nickname is a pure function of a 32-bit code, so drafts carry only the code.
/// </summary>
internal static class Nicknames
{
    private static readonly string[] Cities =
    [
        "上海", "北京", "广州", "深圳", "杭州", "成都", "南京", "武汉", "苏州", "西安", "重庆", "长沙", "天津", "厦门", "青岛", "宁波",
    ];

    private static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗",
    ];

    private static readonly string[] GivenNames =
    [
        "芳", "伟", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "晓东", "雨桐",
        "子涵", "欣怡", "浩然", "梓萱",
    ];

    private static readonly string[] Jobs =
    [
        "设计师", "教师", "程序员", "会计", "护士", "销售", "宝妈", "学生", "医生", "律师", "店长", "自由职业", "工程师", "摄影师",
    ];

    private static readonly string[] Freeform =
    [
        "小王", "Amy", "阳光", "Jason", "🌸花花", "momo", "快乐每一天", "Kevin_Z", "追风少年", "静待花开", "Lily🍀", "老张",
        "一只猫", "Ann", "小鱼儿", "Tony", "Coco", "风轻云淡",
    ];

    /// <summary>The nickname for <paramref name="code"/>: about 80% follow the pattern.</summary>
    public static string For(int code)
    {
        var h = SimRandom.Mix64((ulong)(uint)code);
        unchecked
        {
            var a = (int)(h & 0xFFFF);
            var b = (int)((h >> 16) & 0xFFFF);
            var c = (int)((h >> 32) & 0xFFFF);
            var e = (int)((h >> 48) & 0xFFFF);
            if (e % 10 < 8)
            {
                return string.Concat(
                    Cities[a % Cities.Length], "-", Surnames[b % Surnames.Length], GivenNames[(b >> 5) % GivenNames.Length], "-", Jobs[c % Jobs.Length]);
            }

            return e % 10 == 8
                ? string.Concat(Surnames[b % Surnames.Length], GivenNames[(b >> 5) % GivenNames.Length])
                : Freeform[a % Freeform.Length];
        }
    }
}

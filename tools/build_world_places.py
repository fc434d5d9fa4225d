#!/usr/bin/env python3
"""Build the list of places outside China's divisions: countries, regions, oceans, world cities.

Country names come from the Chinese (zh_CN) translations of ISO 3166-1/-2/-3 that the
``pycountry`` wheel on PyPI ships (from Debian's iso-codes, LGPL-2.1).  The wheel is only
opened as a zip archive; pycountry is never imported or installed.  The other sections are
written here from general knowledge: common names of countries, continents, regions, seas,
world cities, and the national-scale names of China (rivers, regions) that name no locality.

A name that is also the name or short form of a Chinese division (黑山, 南海, 岭南 …) is left
out: the list is allow-listed (STYLE.md §2 keeps countries and provinces), and a Chinese place
must stay maskable. A name shared only with a Chinese township or village (华沙, 马赛, 温哥华)
goes to a second list, unless it is an ordinary word (金边, 木星): the world-places rule
recognises those names and keeps them itself, so the allow-list does not hide the village.

Output: ``rules/lexicons/world_places.txt`` and ``rules/lexicons/world_places_shared.txt``
(sorted within each section, deterministic).

Usage::

    python tools/build_world_places.py                         # download the pinned wheel
    python tools/build_world_places.py --wheel path/to/pycountry-*.whl
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

PYCOUNTRY_VERSION = "26.2.16"
REPO_ROOT = Path(__file__).resolve().parents[1]
LEXICONS = REPO_ROOT / "rules" / "lexicons"
OUTPUT = LEXICONS / "world_places.txt"
SHARED_OUTPUT = LEXICONS / "world_places_shared.txt"
DIVISION_FILES = (LEXICONS / "admin_divisions.tsv", LEXICONS / "admin_villages.tsv.gz")
LOCAL_LEVELS = frozenset({"township", "village"})
SHARED_WITH_LOCAL = "also a Chinese township or village"
# ISO codes whose subdivisions are Chinese divisions (already in the gazetteer).
CHINESE_CODES = frozenset({"CN", "TW", "HK", "MO"})
# Generic endings of foreign subdivisions; the stem is added too when it has 3+ characters.
SUBDIVISION_SUFFIXES = ("自治共和国", "共和国", "自治区", "特区", "地区", "州", "省", "县", "郡", "邦", "市", "都", "府", "区")
MIN_SUBDIVISION = 3
# Name fields of an ISO record, in the order they are read.
NAME_FIELDS = ("name", "common_name", "official_name")

COMMON_COUNTRY_NAMES = """
    俄国 苏联 前苏联 东德 西德 民主德国 联邦德国 南斯拉夫 捷克斯洛伐克 英格兰 苏格兰 威尔士 北爱尔兰
    大不列颠 沙特 危地马拉 马耳他 柬埔寨 吉尔吉斯斯坦 叙利亚 老挝 朝鲜 韩国 伊朗 委内瑞拉 玻利维亚
    坦桑尼亚 摩尔多瓦 印尼 澳洲 美利坚 孟加拉国 马其顿 波黑 刚果金 刚果布 埃斯瓦蒂尼 斯威士兰
    科特迪瓦 象牙海岸 巴勒斯坦 梵蒂冈 缅甸 越南 泰国 菲律宾 新加坡 马来西亚 文莱 东帝汶
    法兰西 德意志 英吉利 英伦 英伦三岛 北爱 科索沃 埃塞 南斯拉夫联盟 沙特阿拉伯
    多米尼加 阿联酋 南联盟 波斯尼亚 黑塞哥维那 沙俄 奥匈帝国 大英帝国 奥斯曼帝国 罗马帝国 孟加拉 塔吉克
"""
REGIONS = """
    亚洲 欧洲 非洲 美洲 北美洲 南美洲 中美洲 拉丁美洲 大洋洲 南极洲 北美 南美 拉美 东亚 东北亚 东南亚
    南亚 中亚 西亚 北非 东非 西非 南部非洲 中东 近东 远东 西欧 东欧 北欧 南欧 中欧 中东欧 巴尔干
    高加索 西伯利亚 斯堪的纳维亚 加勒比 亚太 欧亚 亚欧 欧美 亚非 亚非拉 撒哈拉 南极 北极 北极圈
    太平洋 大西洋 印度洋 北冰洋 地中海 加勒比海 波罗的海 黑海 红海 里海 死海 阿拉伯海 日本海 鄂霍次克海
    波斯湾 墨西哥湾 孟加拉湾 亚丁湾 马六甲海峡 英吉利海峡 直布罗陀海峡 白令海峡 霍尔木兹海峡
    苏伊士运河 巴拿马运河 喜马拉雅 喜马拉雅山 阿尔卑斯山 安第斯山 落基山 乞力马扎罗 尼罗河 亚马孙河
    亚马逊河 密西西比河 多瑙河 莱茵河 伏尔加河 泰晤士河 塞纳河 湄公河 恒河 幼发拉底河 底格里斯河
    约旦河 撒哈拉沙漠 珠穆朗玛峰 珠峰 加沙 戈兰高地 克什米尔 巴伐利亚 夏威夷 阿拉斯加 加州
    西奈半岛 朝鲜半岛 阿拉伯半岛 伊比利亚半岛 巴尔干半岛 印度半岛 中南半岛
    地球 月球 火星 金星 水星 木星 土星 天王星 海王星 冥王星 太阳系 银河系 北半球 南半球 东半球 西半球
    南太平洋 北太平洋 西太平洋 东太平洋 北大西洋 南大西洋 爱琴海 亚得里亚海 巴伦支海 珊瑚海 塔斯曼海
    安达曼海 爪哇海 马尔马拉海 阿曼湾 亚喀巴湾 几内亚湾 比斯开湾 哈德逊湾 阿拉斯加湾 泰国湾 东京湾
    大阪湾 博斯普鲁斯海峡 达达尼尔海峡 麦哲伦海峡 德雷克海峡 莫桑比克海峡 对马海峡 朝鲜海峡 津轻海峡
    宗谷海峡 曼德海峡 望加锡海峡 巽他海峡 格陵兰岛 加拉帕戈斯群岛 马尔维纳斯群岛 福克兰群岛 千岛群岛
    库页岛 萨哈林岛 苏门答腊 苏门答腊岛 爪哇岛 婆罗洲 加里曼丹 新几内亚 塔斯马尼亚 西西里岛 撒丁岛
    科西嘉岛 克里特岛 北海道 琉球群岛 济州岛 阿尔卑斯 乌拉尔山 阿巴拉契亚山 阿特拉斯山 高加索山
    喀尔巴阡山 比利牛斯山 兴都库什山 帕米尔高原 富士山 奥林匹斯山 勃朗峰 阿空加瓜山 乞力马扎罗山
    刚果河 尼日尔河 赞比西河 密苏里河 圣劳伦斯河 科罗拉多河 奥里诺科河 拉普拉塔河 巴拉那河 鄂毕河
    叶尼塞河 勒拿河 第聂伯河 易北河 奥得河 维斯瓦河 罗讷河 卢瓦尔河 台伯河 印度河 伊洛瓦底江 萨尔温江
    阿姆河 锡尔河 贝加尔湖 苏必利尔湖 密歇根湖 休伦湖 伊利湖 安大略湖 五大湖 维多利亚湖 坦噶尼喀湖
    日内瓦湖 的的喀喀湖 巴尔喀什湖 卡拉哈里沙漠 阿塔卡马沙漠 戈壁沙漠 美索不达米亚 两河流域 巴比伦
    普鲁士 拜占庭 迦太基 庞贝 高卢 车臣 克里米亚 加泰罗尼亚 巴斯克 阿尔萨斯 普罗旺斯 托斯卡纳 西西里
    约克郡 得克萨斯 佛罗里达 新英格兰 旁遮普 加沙地带 约旦河西岸 库尔德斯坦 西奈 中东地区 亚太地区
    海湾地区
    西北欧 西澳 阿拉伯 阿拉伯世界 海湾国家 西岸 赤道 次大陆 南亚次大陆 印度支那 波斯 马格里布 萨赫勒 非洲之角
    环太平洋 巴塔哥尼亚 亚马孙 亚马逊 南奥塞梯 阿布哈兹 德涅斯特河沿岸 吕宋岛 棉兰老岛 米沙鄢 巴拉望
    民都洛 苏拉威西 马鲁古 切尔诺贝利 尼亚加拉瀑布 埃菲尔铁塔 卢浮宫 香榭丽舍 凡尔赛宫 白金汉宫
    克里姆林宫 红场 白宫 五角大楼 国会山 自由女神像 金字塔 吉萨金字塔 狮身人面像 泰姬陵 吴哥寺
"""
WORLD_CITIES = """
    东京 大阪 京都 横滨 名古屋 神户 札幌 福冈 广岛 长崎 冲绳 首尔 釜山 仁川 平壤 河内 胡志明市 岘港
    曼谷 清迈 万象 金边 仰光 内比都 吉隆坡 槟城 雅加达 巴厘岛 马尼拉 新德里 德里 孟买 加尔各答
    班加罗尔 金奈 卡拉奇 伊斯兰堡 拉合尔 达卡 科伦坡 加德满都 喀布尔 德黑兰 巴格达 大马士革 贝鲁特
    耶路撒冷 特拉维夫 安曼 利雅得 吉达 麦加 迪拜 阿布扎比 多哈 科威特城 马斯喀特 萨那 安卡拉
    伊斯坦布尔 塔什干 阿拉木图 阿斯塔纳 比什凯克 杜尚别 阿什哈巴德 乌兰巴托 第比利斯 埃里温 巴库
    莫斯科 圣彼得堡 海参崴 符拉迪沃斯托克 新西伯利亚 伊尔库茨克 哈巴罗夫斯克 基辅 明斯克 华沙
    布拉格 维也纳 布达佩斯 布加勒斯特 索非亚 贝尔格莱德 萨格勒布 卢布尔雅那 布拉迪斯拉发 雅典 罗马
    米兰 威尼斯 佛罗伦萨 那不勒斯 都灵 马德里 巴塞罗那 里斯本 柏林 汉堡 慕尼黑 法兰克福 科隆 波恩
    杜塞尔多夫 斯图加特 汉诺威 莱比锡 巴黎 马赛 里昂 尼斯 斯特拉斯堡 戛纳 伦敦 曼彻斯特 利物浦
    伯明翰 爱丁堡 格拉斯哥 牛津 剑桥 都柏林 阿姆斯特丹 鹿特丹 海牙 布鲁塞尔 安特卫普 日内瓦 苏黎世
    伯尔尼 洛桑 达沃斯 斯德哥尔摩 奥斯陆 哥本哈根 赫尔辛基 雷克雅未克 里加 维尔纽斯 塔林 华盛顿
    纽约 洛杉矶 旧金山 芝加哥 波士顿 费城 西雅图 休斯敦 达拉斯 迈阿密 亚特兰大 底特律 拉斯维加斯
    檀香山 硅谷 曼哈顿 好莱坞 渥太华 多伦多 温哥华 蒙特利尔 魁北克 墨西哥城 哈瓦那 巴西利亚
    里约热内卢 圣保罗 布宜诺斯艾利斯 圣地亚哥 利马 波哥大 加拉加斯 基多 蒙得维的亚 拉巴斯 开罗
    内罗毕 亚的斯亚贝巴 拉各斯 阿布贾 约翰内斯堡 开普敦 比勒陀利亚 德班 达累斯萨拉姆 喀土穆 阿尔及尔
    拉巴特 卡萨布兰卡 达喀尔 阿克拉 罗安达 哈拉雷 卢萨卡 坎帕拉 基加利 悉尼 墨尔本 堪培拉 布里斯班
    珀斯 阿德莱德 惠灵顿 奥克兰
    汉城 西贡 约堡 满地可 奈良 川崎 千叶 埼玉 静冈 仙台 函馆 小樽 旭川 新潟 金泽 冈山 熊本 鹿儿岛 那霸
    北九州 长野 神户市 大邱 蔚山 水原 板门店 开城 新义州 元山 咸兴 顺化 芽庄 琅勃拉邦 暹粒 吴哥
    吴哥窟 西哈努克港 曼德勒 普吉岛 芭提雅 宿务 达沃 棉兰 泗水 万隆 日惹 巨港 亚齐 古晋 亚庇 新山 怡保
    斯里巴加湾 海得拉巴 阿格拉 斋浦尔 瓦拉纳西 果阿 浦那 阿姆利则 昌迪加尔 勒克瑙 博帕尔 吉大港 博卡拉
    蓝毗尼 廷布 马累 康提 撒马尔罕 布哈拉 白沙瓦 奎达 坎大哈 伊斯法罕 设拉子 马什哈德 大不里士 巴士拉
    摩苏尔 基尔库克 阿勒颇 拉塔基亚 班加西 亚历山大港 塞得港 卢克索 阿斯旺 吉萨 伯利恒 拿撒勒
    希伯伦 杰里科 拉姆安拉 纳布卢斯 埃拉特 亚喀巴 佩特拉 麦地那 达曼 麦纳麦 阿巴斯港 伊兹密尔
    安塔利亚 布尔萨 摩加迪沙 阿斯马拉 蒙巴萨 桑给巴尔 金沙萨 布拉柴维尔 雅温得 杜阿拉 阿比让 洛美
    科托努 瓦加杜古 巴马科 尼亚美 恩贾梅纳 努瓦克肖特 弗里敦 蒙罗维亚 科纳克里 班珠尔 利伯维尔 马拉博
    温得和克 哈博罗内 马普托 利隆圭 塔那那利佛 路易港 索韦托 伊丽莎白港 布隆方丹 马塞卢 姆巴巴内
    布琼布拉 多多马 波尔多 图卢兹 里尔 南特 蒙彼利埃 凡尔赛 阿维尼翁 格勒诺布尔 勒阿弗尔 敦刻尔克
    诺曼底 布列塔尼 不来梅 德累斯顿 纽伦堡 多特蒙德 埃森 亚琛 海德堡 弗赖堡 美因茨 威斯巴登 罗斯托克
    波茨坦 魏玛 萨尔茨堡 因斯布鲁克 格拉茨 巴塞尔 卢塞恩 热那亚 博洛尼亚 维罗纳 巴勒莫 比萨 锡耶纳
    塞维利亚 瓦伦西亚 毕尔巴鄂 马拉加 萨拉戈萨 波尔图 乌得勒支 埃因霍温 根特 布鲁日 列日 哥德堡 马尔默
    乌普萨拉 卑尔根 奥胡斯 坦佩雷 图尔库 格但斯克 克拉科夫 弗罗茨瓦夫 波兹南 布尔诺 德布勒森 敖德萨
    哈尔科夫 利沃夫 顿涅茨克 塞瓦斯托波尔 雅尔塔 摩尔曼斯克 阿尔汉格尔斯克 加里宁格勒 叶卡捷琳堡
    车里雅宾斯克 鄂木斯克 托木斯克 克拉斯诺亚尔斯克 下诺夫哥罗德 喀山 萨马拉 伏尔加格勒 斯大林格勒
    列宁格勒 索契 赤塔 乌兰乌德 布拉戈维申斯克 纳霍德卡 戈梅利 基希讷乌 斯科普里 地拉那 萨拉热窝
    波德戈里察 普里什蒂纳 瓦莱塔 尼科西亚 利兹 谢菲尔德 布里斯托尔 纽卡斯尔 南安普敦 朴茨茅斯 普利茅斯
    卡迪夫 贝尔法斯特 阿伯丁 多佛尔 坎特伯雷 格林尼治 温布尔登 唐宁街 圣迭戈 圣何塞 圣安东尼奥 丹佛
    凤凰城 盐湖城 明尼阿波利斯 圣路易斯 堪萨斯城 密尔沃基 匹兹堡 巴尔的摩 辛辛那提 孟菲斯
    纳什维尔 新奥尔良 印第安纳波利斯 安克雷奇 火奴鲁鲁 帕洛阿尔托 华尔街 百老汇 第五大道
    卡纳维拉尔角 珍珠港 卡尔加里 埃德蒙顿 温尼伯 哈利法克斯 蒙特雷 瓜达拉哈拉 蒂华纳 坎昆 阿卡普尔科
    危地马拉城 圣萨尔瓦多 特古西加尔巴 马那瓜 巴拿马城 太子港 圣多明各 麦德林 卡塔赫纳 瓜亚基尔 库斯科
    亚松森 马瑙斯 贝伦 累西腓 阿雷格里港 贝洛奥里藏特 库里蒂巴 福塔莱萨 瓦尔帕莱索 帕拉马里博
    霍巴特 基督城 苏瓦 莫尔兹比港 努美阿 帕皮提 阿皮亚 努库阿洛法 维拉港
    休斯顿 萨克拉门托 塔拉哈西 巴吞鲁日 托皮卡 夏延 博伊西 朱诺 哈里斯堡 特伦顿 卡森城 得梅因 兰辛
    斯普林菲尔德 杰斐逊城 罗利 里士满 安纳波利斯 哈特福德 普罗维登斯 奥尔巴尼 奥古斯塔 查尔斯顿
    俄克拉何马城 小石城 奥兰多 坦帕 杰克逊维尔 路易斯维尔 奥马哈 阿尔伯克基 图森 埃尔帕索 沃思堡
    弗雷斯诺 长滩 纽瓦克 泽西城 波特兰 斯波坎 里诺 萨凡纳 诺福克 布法罗 罗切斯特 纽黑文 普林斯顿
    伯克利 帕萨迪纳 圣巴巴拉 圣莫尼卡 洛斯阿拉莫斯 里贾纳 萨斯卡通 魁北克城 弗雷德里克顿 夏洛特敦
    圣约翰斯 怀特霍斯 耶洛奈夫 伊卡卢伊特 基奇纳 尼亚加拉 约克 布莱顿 诺丁汉 莱斯特 考文垂
    布拉德福德 桑德兰 斯旺西 因弗内斯 邓迪 斯特灵 温莎 希思罗 盖特威克 雷恩 兰斯 圣艾蒂安 土伦 第戎
    昂热 尼姆 克莱蒙费朗 利摩日 图尔 亚眠 佩皮尼昂 梅斯 贝桑松 奥尔良 鲁昂 卡昂 南锡 阿雅克肖 巴约讷
    比亚里茨 卢尔德 瑟堡 布雷斯特 沙特尔 凡尔登 枫丹白露 基尔 吕贝克 马格德堡 埃尔福特 耶拿
    开姆尼茨 卡塞尔 明斯特 波鸿 杜伊斯堡 伍珀塔尔 比勒费尔德 卡尔斯鲁厄 曼海姆 奥格斯堡 雷根斯堡
    乌尔姆 特里尔 科布伦茨 萨尔布吕肯 沃尔夫斯堡 因戈尔施塔特 拜罗伊特 维尔茨堡 班贝格 巴里 卡利亚里
    的里雅斯特 帕多瓦 帕尔马 摩德纳 拉文纳 佩鲁贾 安科纳 卡塔尼亚 墨西拿 萨勒诺 塔兰托 里米尼 科莫
    贝加莫 布雷西亚 曼托瓦 卢卡 阿西西 科尔多瓦 托莱多 萨拉曼卡 潘普洛纳 圣塞瓦斯蒂安 巴利亚多利德
    阿利坎特 加的斯 马略卡 伊维萨 特内里费 拉斯帕尔马斯 直布罗陀 第聂伯罗 扎波罗热 马里乌波尔 赫尔松
    尼古拉耶夫 文尼察 切尔尼戈夫 波尔塔瓦 辛菲罗波尔 刻赤 格罗兹尼 马哈奇卡拉 纳尔奇克 弗拉季高加索
    阿斯特拉罕 罗斯托夫 克拉斯诺达尔 斯塔夫罗波尔 沃罗涅日 萨拉托夫 彼尔姆 乌法 秋明 苏尔古特
    诺里尔斯克 雅库茨克 马加丹 堪察加 布良斯克 斯摩棱斯克 特维尔 雅罗斯拉夫尔 诺夫哥罗德 普斯科夫
    沃洛格达 梁赞 库尔斯克 别尔哥罗德 奥廖尔 坦波夫 奔萨 乌里扬诺夫斯克 切博克萨雷 伊热夫斯克
    苦盏 费尔干纳 安集延 纳曼干 努库斯 卡拉干达 奇姆肯特 阿克套 阿特劳 巴甫洛达尔 塞米巴拉金斯克
    拜科努尔 布列斯特 格罗德诺 维捷布斯克 莫吉廖夫 蒂拉斯波尔 巴统 库塔伊西 苏呼米 茨欣瓦利 久姆里
    甘贾 诺维萨德 斯普利特 杜布罗夫尼克 莫斯塔尔 巴尼亚卢卡 图兹拉 斯雷布雷尼察 奥赫里德 发罗拉
    都拉斯 普罗夫迪夫 瓦尔纳 布尔加斯 克卢日 蒂米什瓦拉 雅西 康斯坦察 布拉索夫 塞格德 米什科尔茨
    俄斯特拉发 皮尔森 卡罗维发利 科希策 罗兹 卡托维兹 卢布林 比亚韦斯托克 什切青 奥斯维辛 格丁尼亚
    奥卢 罗瓦涅米 特隆赫姆 斯塔万格 特罗姆瑟 欧登塞 奥尔堡 考纳斯 克莱佩达 塔尔图 纳杰夫 卡尔巴拉
    费卢杰 提克里特 埃尔比勒 苏莱曼尼亚 霍姆斯 哈马 代尔祖尔 拉卡 伊德利卜 库姆 阿瓦士 克尔曼沙赫
    布什尔 萨拉拉 亚丁 荷台达 塔伊兹 塔伊夫 朱拜勒 沙迦 阿治曼 富查伊拉 哈伊马角 科尼亚 阿达纳
    加济安泰普 迪亚巴克尔 特拉布宗 埃尔祖鲁姆 萨姆松 阿什杜德 贝尔谢巴 提比里亚 汗尤尼斯 杰宁
    的黎波里 巴勒贝克 扎尔卡 伊尔比德 马哈拉施特拉邦 拉贾斯坦邦 古吉拉特邦 旁遮普邦 哈里亚纳邦
    比哈尔邦 西孟加拉邦 奥里萨邦 安得拉邦 卡纳塔克邦 阿萨姆邦 喜马偕尔邦 特伦甘纳邦 贾坎德邦
    恰蒂斯加尔邦 北阿坎德邦 曼尼普尔邦 那加兰邦 米佐拉姆邦 特里普拉邦 梅加拉亚邦 信德省 俾路支省
    坎普尔 那格浦尔 印多尔 苏拉特 艾哈迈达巴德 巴特那 兰契 布巴内斯瓦尔 维沙卡帕特南 科钦 特里凡得琅
    哥印拜陀 迈索尔 阿拉哈巴德 斯利那加 查谟 西姆拉 大吉岭 瓜廖尔 焦特布尔 乌代浦尔 库尔纳 拉杰沙希
    锡尔赫特 费萨拉巴德 拉瓦尔品第 木尔坦 瓜达尔 锡亚尔科特 贾夫纳 亭可马里 大叻 芹苴 头顿
    沙湾拿吉 巴色 马德望 磅湛 清莱 合艾 呵叻 孔敬 乌汶 华欣 苏梅岛 勃固 毛淡棉 密支那 腊戍 东枝
    八莫 木姐 实兑 马六甲 关丹 亚罗士打 哥打巴鲁 诗巫 美里 纳闽 斗湖 山打根 三宝垄 望加锡 巴东 占碑
    坤甸 马辰 巴厘巴板 安汶 查亚普拉 帝力 碧瑶 苏比克 三宝颜 怡朗 京畿道 江原道 忠清北道 忠清南道
    全罗北道 全罗南道 庆尚北道 庆尚南道 济州道 济州 光州 大田 浦项 庆州 春川 清州 木浦 统营 昌原
    平泽 坡州 清津 罗先 南浦 沙里院 惠山 江界 青森县 岩手县 宫城县 秋田县 山形县 福岛县 茨城县 栃木县
    群马县 埼玉县 千叶县 神奈川县 新潟县 富山县 石川县 福井县 山梨县 长野县 岐阜县 静冈县 爱知县 三重县
    滋贺县 兵库县 奈良县 和歌山县 鸟取县 岛根县 冈山县 广岛县 山口县 德岛县 香川县 爱媛县 高知县
    福冈县 佐贺县 长崎县 熊本县 大分县 宫崎县 鹿儿岛县 冲绳县 京都府 东京都 青森 岩手 秋田 茨城 栃木
    群马 神奈川 滋贺 和歌山 鸟取 岛根 爱媛 宇都宫 前桥 水户 甲府 大津 仓敷 下关 佐世保 镰仓 箱根
    横须贺 成田 羽田 姬路 堺市 尼崎 西宫 浜松
"""
NATIONAL_NAMES = """
    中国 中华 华夏 神州 长江 黄河 珠江 淮河 海河 辽河 松花江 雅鲁藏布江 澜沧江 长城 万里长城 秦岭
    昆仑山 喜马拉雅山脉 青藏高原 黄土高原 云贵高原 内蒙古高原 华北平原 东北平原 长江三角洲 珠江三角洲
    长三角 珠三角 京津冀 粤港澳 大湾区 港澳 港澳台 台湾海峡 黄海 渤海 华北 华东 华南 华中 东北
    西北 西南 中原 江南 关中 塞北 江淮 江浙 江浙沪 两广 两湖 大西北 大西南
    大陆 中国大陆 祖国大陆 两岸 海峡两岸 台海 京城 北京城 天安门 天安门广场 人民大会堂 人民英雄纪念碑
    中南海 故宫 紫禁城 丝绸之路 海上丝绸之路 北大荒 京九铁路 京广铁路 京沪铁路 京哈铁路 陇海铁路 京九线
    京广线 京沪线 陇海线 兰新线 京杭大运河 大运河 嘉陵江 汉江 汉水 金沙江 鸭绿江 图们江 乌苏里江
    额尔古纳河 太行山 小兴安岭 天山 祁连山 阴山 大别山 武陵山 横断山 六盘山 贺兰山 唐古拉山 冈底斯山
    念青唐古拉山 阿尔泰山 喀喇昆仑山 四川盆地 塔里木盆地 准噶尔盆地 柴达木盆地 塔克拉玛干沙漠
    腾格里沙漠 毛乌素沙漠 河西走廊 东北三省 东三省 关东 关外 塞外
"""
SECTIONS_WRITTEN_HERE = (
    ("common names of countries", COMMON_COUNTRY_NAMES),
    ("continents, regions, seas, straits, rivers and mountains of world scale", REGIONS),
    ("world cities", WORLD_CITIES),
    ("national-scale names of China (no locality)", NATIONAL_NAMES),
)


def download_wheel(dest: Path, version: str) -> Path:
    """Fetch the pinned pycountry wheel with pip (no dependencies) into `dest`."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    f"pycountry=={version}", "-d", str(dest)], check=True)
    wheels = sorted(dest.glob(f"pycountry-{version}-*.whl"))
    if not wheels:
        raise SystemExit(f"pip did not produce a pycountry {version} wheel in {dest}")
    return wheels[0]


def iso_names(wheel: zipfile.ZipFile, standard: str) -> Iterator[tuple[str, str]]:
    """(code, Chinese name) for every name field of every record of one ISO 3166 part."""
    records = json.loads(wheel.read(f"pycountry/databases/iso{standard}.json"))[standard]
    catalog = wheel.read(f"pycountry/locales/zh_CN/LC_MESSAGES/iso{standard}.mo")
    translations = gettext.GNUTranslations(io.BytesIO(catalog))
    for record in records:
        code = record.get("alpha_2") or record.get("alpha_4") or record.get("code", "")
        for field in NAME_FIELDS:
            if record.get(field):
                translated = translations.gettext(record[field])
                if translated != record[field]:
                    yield code, translated


def subdivision_names(names: Iterable[tuple[str, str]]) -> Iterator[str]:
    """Foreign subdivision names of 3+ characters, and their stems when those have 3+ too."""
    for code, name in names:
        if code[:2] in CHINESE_CODES or len(name) < MIN_SUBDIVISION:
            continue
        yield name
        for suffix in SUBDIVISION_SUFFIXES:
            if name.endswith(suffix):
                stem = name[:-len(suffix)]
                if len(stem) >= MIN_SUBDIVISION:
                    yield stem
                break


class ChineseNames(NamedTuple):
    """Names and short forms of the Chinese gazetteer files: counties and above, and the rest."""

    divisions: frozenset[str]
    local: frozenset[str]


def chinese_division_names() -> ChineseNames:
    """Every name and short form of the Chinese gazetteer files, by level."""
    divisions: set[str] = set()
    local: set[str] = set()
    for path in DIVISION_FILES:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                columns = line.rstrip("\n").split("\t")
                if line.startswith("#") or len(columns) < 3:
                    continue
                (local if columns[2] in LOCAL_LEVELS else divisions).update(c for c in columns[:2] if c)
    return ChineseNames(frozenset(divisions), frozenset(local) - divisions)


def is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


def usable(name: str, chinese: ChineseNames, dictionary: object | None) -> str | None:
    """Why `name` is left out, or None when it is kept. With a `dictionary`, a name that is
    an ordinary word or starts with one before a generic ending (玻璃市, 北部省) is left out too:
    pkuseg would keep it whole inside 玻璃市场 or 西北部省份."""
    if not is_han(name) or len(name) < 2:
        return "not a plain Chinese name"
    if name in chinese.divisions:
        return "also a Chinese division"
    if name in chinese.local:
        return SHARED_WITH_LOCAL
    if dictionary is not None and is_ordinary_word(name, dictionary):
        return "an ordinary word"
    return None


def is_ordinary_word(name: str, dictionary: object) -> bool:
    """The name, or its stem before a generic ending, is a common word not tagged as a name."""
    stem = next((name[:-len(s)] for s in SUBDIVISION_SUFFIXES if name.endswith(s)), name)
    return any(dictionary.is_common(word) and dictionary.entries[word][1] not in ("ns", "nz")
               for word in {name, stem})


def sections(wheel_path: Path) -> list[tuple[str, list[str], bool]]:
    """The output sections: (heading, names, whether ordinary words are left out), ISO ones first."""
    with zipfile.ZipFile(wheel_path) as wheel:
        countries = [name for _, name in iso_names(wheel, "3166-1")]
        former = [name for _, name in iso_names(wheel, "3166-3")]
        subdivisions = list(subdivision_names(iso_names(wheel, "3166-2")))
    return [
        ("countries (ISO 3166-1, zh_CN, from pycountry)", countries, False),
        ("former countries (ISO 3166-3, zh_CN, from pycountry)", former, False),
        ("foreign subdivisions (ISO 3166-2, zh_CN, from pycountry; 3+ characters)", subdivisions, True),
        *((heading, text.split(), False) for heading, text in SECTIONS_WRITTEN_HERE),
    ]


HEADER = (
    "# Built by tools/build_world_places.py from pycountry {version} (ISO 3166 zh_CN names,",
    "# LGPL-2.1, see NOTICE) and lists written in the tool. Do not edit by hand: rebuild.",
)
SHARED_HEADER = (
    "# Places outside China's divisions whose names are also Chinese townships or villages (华沙):",
    "# the world-places rule recognises them and keeps them itself; the allow-list does not, so the",
    "# village stays maskable.",
)


def write(path: Path, shared_path: Path, built: Sequence[tuple[str, list[str], bool]], version: str
          ) -> list[tuple[str, str]]:
    """Write the list (each name once, in its first section) and the list of names shared with
    Chinese townships and villages; return the names left out of both and why."""
    sys.path.insert(0, str(REPO_ROOT))
    from redact.common_words import common_words

    chinese = chinese_division_names()
    dictionary = common_words()
    seen: set[str] = set()
    shared: set[str] = set()
    dropped: list[tuple[str, str]] = []
    lines = [
        "# Places outside China's divisions (countries, regions, seas, world cities) and national-scale",
        "# names of China: recognised as places and kept by the allow-list (STYLE.md decision 2).",
        *(line.format(version=version) for line in HEADER),
    ]
    for heading, names, strict in built:
        kept = []
        for name in sorted(set(names)):
            why = "listed in an earlier section" if name in seen else usable(name, chinese, dictionary if strict else None)
            if why == SHARED_WITH_LOCAL and not is_ordinary_word(name, dictionary):
                shared.add(name)
            elif why:
                dropped.append((name, why))
            else:
                kept.append(name)
                seen.add(name)
        lines += ["", f"# {heading}", *kept]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shared_lines = [*SHARED_HEADER, *(line.format(version=version) for line in HEADER), "", *sorted(shared)]
    shared_path.write_text("\n".join(shared_lines) + "\n", encoding="utf-8")
    return dropped


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help=f"local pycountry wheel (default: pip download {PYCOUNTRY_VERSION})")
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"output file (default {OUTPUT})")
    parser.add_argument("--shared-out", type=Path, default=SHARED_OUTPUT,
                        help=f"output file of the names shared with Chinese villages (default {SHARED_OUTPUT})")
    return parser.parse_args(argv)


def build(wheel: Path, out: Path, shared_out: Path) -> None:
    dropped = write(out, shared_out, sections(wheel), PYCOUNTRY_VERSION)
    for name, why in dropped:
        if why != "listed in an earlier section":
            print(f"left out {name}: {why}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.wheel:
        build(args.wheel, args.out, args.shared_out)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        build(download_wheel(Path(tmp), PYCOUNTRY_VERSION), args.out, args.shared_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

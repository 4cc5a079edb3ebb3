"""Personal names and academic titles for demo employees, per region.

Each region mixes the naming traditions one meets among its civil servants:
Minangkabau names (with a suku name now and then) in Sawahlunto; Christian
and Muslim Ambonese names with their *fam* in Ambon; Marind clan names in
Salor, next to the Javanese names of the transmigration villages; Hubula
(Dani) clan names in Walesi, with both Christian and Muslim given names;
Dayak Ngaju, Banjar and Javanese names in Palangka Raya. The lists are
invented combinations of common names, not real people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.org.nip import Sex


@dataclass(frozen=True)
class NameGroup:
    """People of one naming tradition."""

    male: tuple[str, ...]
    female: tuple[str, ...]
    second_male: tuple[str, ...] = ()
    second_female: tuple[str, ...] = ()
    second_share: float = 0.0  # how often a second given name follows the first
    family: tuple[str, ...] = ()  # clan or family names (marga, fam, suku)
    family_share: float = 0.0  # how often the family name is written

    def make(self, rng: random.Random, sex: Sex) -> str:
        female = sex is Sex.P
        parts = [rng.choice(self.female if female else self.male)]
        seconds = self.second_female if female else self.second_male
        if seconds and rng.random() < self.second_share:
            second = rng.choice(seconds)
            if second not in parts[0]:
                parts.append(second)
        if self.family and rng.random() < self.family_share:
            parts.append(rng.choice(self.family))
        return " ".join(parts)


# A style: naming groups with their weights.
NameStyle = tuple[tuple[int, NameGroup], ...]


def make_name(style: NameStyle, rng: random.Random, sex: Sex) -> str:
    weights = [weight for weight, _ in style]
    group = rng.choices([group for _, group in style], weights=weights)[0]
    return group.make(rng, sex)


# --- naming traditions ---------------------------------------------------------

JAVANESE = NameGroup(
    male=("Agus", "Bambang", "Budi", "Joko", "Slamet", "Eko", "Wahyu", "Dwi", "Teguh", "Sugeng",
          "Heru", "Bayu", "Tri", "Arif", "Yudi", "Hadi", "Rudi", "Sigit"),
    female=("Sri", "Endang", "Tri", "Dwi", "Rini", "Sulastri", "Sumarni", "Puji", "Retno", "Siti",
            "Wulan", "Ratna", "Ani", "Yuli", "Indah", "Dewi"),
    second_male=("Santoso", "Prasetyo", "Wibowo", "Nugroho", "Susilo", "Hartono", "Setiawan",
                 "Purnomo", "Riyadi", "Saputro", "Hidayat", "Kurniawan", "Wicaksono", "Priyanto"),
    second_female=("Lestari", "Wahyuni", "Handayani", "Astuti", "Rahayu", "Wulandari", "Susanti",
                   "Kurniasih", "Purwanti", "Ningsih", "Sulistyowati", "Utami", "Setyaningsih"),
    second_share=1.0,
)

SUNDANESE = NameGroup(
    male=("Asep", "Dedi", "Ujang", "Cecep", "Ade", "Yayan", "Dadang", "Iwan", "Wawan", "Deden"),
    female=("Euis", "Neneng", "Yeni", "Lilis", "Tati", "Rina", "Dewi", "Imas", "Nining"),
    second_male=("Supriatna", "Sutisna", "Hermawan", "Rukmana", "Permana", "Kurniawan", "Saputra",
                 "Hidayat", "Firmansyah"),
    second_female=("Nurhasanah", "Sumiati", "Rosmawati", "Kartika", "Komalasari", "Rahmawati",
                   "Herlina", "Marlina"),
    second_share=0.8,
)

BATAK = NameGroup(
    male=("Parlindungan", "Binsar", "Sahat", "Tigor", "Robert", "Marihot", "Jhonson", "Hotman",
          "Togar", "Dapot"),
    female=("Tiurma", "Lamria", "Rosida", "Nurmala", "Dameria", "Ruth", "Rotua", "Sondang"),
    family=("Simanjuntak", "Siregar", "Nasution", "Hutapea", "Sitompul", "Lubis", "Manurung",
            "Silalahi", "Pardede", "Harahap", "Situmorang", "Sinaga"),
    family_share=1.0,
)

MINANGKABAU = NameGroup(
    male=("Afrizal", "Yusrizal", "Syafrizal", "Erizal", "Novrizal", "Hendri", "Zulkifli", "Alfian",
          "Fadhli", "Ilham", "Rizki", "Andri", "Firdaus", "Irwan", "Masrul", "Jufri", "Asrul",
          "Yuhendri", "Rahmat", "Zulfikar", "Defri", "Yondri", "Edwar", "Harmen", "Refdinal",
          "Elfizon", "Syahrul", "Riko", "Gusrizal", "Mardison"),
    female=("Yusnidar", "Desi", "Nofriyanti", "Rahmi", "Yulia", "Elfi", "Yeni", "Mardiana",
            "Nurhayati", "Fitri", "Rosmaini", "Lisnawati", "Vivi", "Silvia", "Mutia", "Syafrida",
            "Elvira", "Yusmaneli", "Rika", "Gusnawati", "Nelfi", "Ernita", "Zuraida", "Widya",
            "Reni", "Hasnidar"),
    second_male=("Hidayat", "Putra", "Syahputra", "Effendi", "Saputra", "Fikri", "Hamdani",
                 "Rahman", "Yusuf"),
    second_female=("Yanti", "Susanti", "Marlina", "Sari", "Rahmadani", "Novita", "Yenti", "Wati",
                   "Hasnah", "Fitriani", "Oktavia"),
    second_share=0.45,
    # Minang suku names, used as a surname by some.
    family=("Chaniago", "Piliang", "Tanjung", "Sikumbang", "Koto", "Jambak", "Guci", "Pisang",
            "Simabua"),
    family_share=0.25,
)

AMBONESE_CHRISTIAN = NameGroup(
    male=("Johanis", "Marthinus", "Fredrik", "Yopie", "Ronald", "Hendrik", "Abraham", "Jacob",
          "Petrus", "Semuel", "Agustinus", "Richard", "Marcus", "Frans", "Max", "Daniel", "Jeffry",
          "Steven", "Roy", "Elias", "Julius", "Alexander", "Costantein", "Izaak"),
    female=("Maria", "Elisabeth", "Yohana", "Christina", "Margaretha", "Novita", "Theresia",
            "Wilhelmina", "Josephine", "Martha", "Selvia", "Debby", "Meiske", "Jenny", "Lenny",
            "Olivia", "Feby", "Grace", "Merry", "Anneke", "Juliana", "Paulina"),
    second_male=("Johan", "Frits", "Pieter", "Willem"),
    second_female=("Fransina", "Agustina", "Magdalena", "Helena"),
    second_share=0.15,
    family=("Pattiasina", "Tuhumury", "Latumahina", "Lekatompessy", "Sahetapy", "Wattimena",
            "Tahapary", "Pattinama", "Leiwakabessy", "Huwae", "Matulessy", "Sopacua", "Ririmasse",
            "Siahaya", "Tupamahu", "Soselisa", "Nanlohy", "Pelupessy", "Tanasale", "Latupono",
            "Sapulette", "Manuhutu", "Lewerissa", "Pesulima", "Titaley", "Lokollo", "Hehanussa",
            "Kakerissa", "Sinay", "Tutuhatunewa"),
    family_share=1.0,
)

AMBONESE_MUSLIM = NameGroup(
    male=("Ahmad", "Hasan", "Rusdi", "Ali", "Said", "Abdullah", "Husein", "Ismail", "Yusuf",
          "Rizal", "Fahmi", "Jafar", "Abdul Rahman", "Mahmud", "Idrus", "Ridwan"),
    female=("Siti", "Fatima", "Nurlela", "Salma", "Hadija", "Nurhayati", "Aisa", "Rukia",
            "Saleha", "Jamila", "Halima", "Sarifa", "Nona"),
    family=("Latuconsina", "Ohorella", "Marasabessy", "Salampessy", "Tuasikal", "Tuanaya",
            "Lestaluhu", "Wailissa", "Sangadji", "Umarella", "Kaplale", "Pelu", "Tuharea",
            "Tehupelasury"),
    family_share=1.0,
)

MARIND = NameGroup(
    male=("Yohanes", "Fransiskus", "Paulus", "Agustinus", "Kristian", "Markus", "Alfons",
          "Stefanus", "Romanus", "Bonifasius", "Kornelis", "Petrus", "Yoseph", "Hubertus", "Lukas",
          "Simon", "Blasius", "Leonardus", "Benediktus", "Albertus"),
    female=("Maria", "Yuliana", "Agustina", "Veronika", "Fransiska", "Elisabeth", "Theresia",
            "Katarina", "Modesta", "Yosefina", "Bernadeta", "Anastasia", "Skolastika", "Margaretha",
            "Antonia", "Regina", "Paulina", "Cicilia"),
    second_male=("Maria", "Yosef", "Andreas"),
    second_female=("Magdalena", "Goreti", "Imakulata"),
    second_share=0.15,
    family=("Gebze", "Mahuze", "Kaize", "Balagaize", "Ndiken", "Basik-Basik", "Samkakai",
            "Moiwend"),
    family_share=1.0,
)

HUBULA_CHRISTIAN = NameGroup(
    male=("Yakobus", "Nius", "Yosias", "Niko", "Elias", "Yance", "Lukas", "Markus", "Timotius",
          "Daniel", "Demianus", "Yulianus", "Seprianus", "Otto", "Yeremias", "Benny", "Natalis",
          "Yohanis", "Melkias", "Habel", "Yunus", "Obet"),
    female=("Yuliana", "Maria", "Naomi", "Ester", "Ruth", "Martha", "Debora", "Selina", "Yosina",
            "Rosalina", "Ribka", "Yohana", "Merry", "Lince", "Serlina", "Yemima", "Agustina",
            "Marlina"),
    family=("Wetipo", "Itlay", "Lagowan", "Hubi", "Elopere", "Walilo", "Matuan", "Mabel", "Logo",
            "Kossay", "Hesegem", "Kogoya", "Wuka", "Siep", "Wenda", "Tabuni", "Marian", "Wantik",
            "Doga", "Himan"),
    family_share=1.0,
)

HUBULA_MUSLIM = NameGroup(
    # The Muslim community of the Walesi area carries the same clan names.
    male=("Ismail", "Yusuf", "Muhammad", "Ali", "Harun", "Nurdin", "Ibrahim", "Abdullah", "Umar",
          "Hasan", "Aipon", "Amir", "Musa", "Idris", "Sulaiman", "Daud", "Zakaria", "Abu Bakar"),
    female=("Aisyah", "Khadijah", "Siti", "Maryam", "Fatimah", "Nurjanah", "Zainab", "Halimah",
            "Rahmah"),
    family=("Asso", "Lokobal", "Yelipele", "Wetipo", "Itlay", "Lagowan", "Hubi", "Elopere",
            "Walilo", "Matuan"),
    family_share=1.0,
)

DAYAK_NGAJU = NameGroup(
    male=("Yulianus", "Andreas", "Kristian", "Elia", "Herson", "Ferdinand", "Natalis", "Rudy",
          "Suprianto", "Ardianto", "Yanto", "Hendra", "Fransiskus", "Dodi", "Eduard", "Wilson"),
    female=("Lusiana", "Natalia", "Yanti", "Elisabeth", "Debora", "Erna", "Lilis", "Rosalina",
            "Noviana", "Sintha", "Mariati", "Yuliani", "Kristina", "Herlina", "Agustina"),
    family=("Tarung", "Ranan", "Dohong", "Bungai", "Asang", "Lambung", "Nyahu", "Sahay",
            "Tingang", "Usop", "Ingan", "Rangkap", "Nahan", "Anden", "Dalin", "Ramang"),
    family_share=0.9,
)

BANJAR = NameGroup(
    male=("Muhammad", "Akhmad", "Syahrani", "Rusdiansyah", "Norhadi", "Fahriansyah", "Rahmadi",
          "Jumberi", "Taufik", "Hairul", "Saifullah", "Mahfuzh", "Rijali", "Zainal", "Syarifuddin",
          "Noor"),
    female=("Norhasanah", "Siti", "Rusmilawati", "Hairunnisa", "Mahmudah", "Noorlaila",
            "Rabiatul", "Jamilah", "Fitriani", "Mariatul", "Nurul", "Rahmawati", "Halimatus"),
    second_male=("Arsyad", "Fauzi", "Rifani", "Ramadhani", "Yamani", "Iberahim", "Hidayat",
                 "Fadillah"),
    second_female=("Aminah", "Adawiyah", "Sa'diah", "Qiptiah", "Rahmah", "Hayati", "Fauziah",
                   "Hasanah"),
    second_share=1.0,
)


STYLES: dict[str, NameStyle] = {
    "sawahlunto": ((9, MINANGKABAU), (1, JAVANESE)),
    "ambon": ((6, AMBONESE_CHRISTIAN), (4, AMBONESE_MUSLIM)),
    "salor": ((7, MARIND), (3, JAVANESE)),
    "walesi": ((13, HUBULA_CHRISTIAN), (7, HUBULA_MUSLIM)),
    "palangkaraya": ((5, DAYAK_NGAJU), (3, BANJAR), (2, JAVANESE)),
    "nasional": ((4, JAVANESE), (2, SUNDANESE), (2, BATAK), (2, MINANGKABAU)),
}


# --- academic titles (gelar) -----------------------------------------------------

# Per kind of post: (prefix, suffix) options. "Drs." becomes "Dra." for women.
TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "jpt": (("", "S.Sos., M.Si."), ("", "S.E., M.M."), ("", "S.H., M.H."), ("", "S.STP, M.Si."),
            ("Drs.", "M.Si."), ("", "S.IP., M.AP."), ("Ir.", "M.T.")),
    "jpt_kes": (("dr.", "M.Kes."), ("dr.", "M.K.M."), ("", "S.K.M., M.Kes.")),
    "jpt_dik": (("Drs.", "M.Pd."), ("", "S.Pd., M.Pd."), ("", "S.Pd., M.Si.")),
    "adm": (("", "S.E."), ("", "S.Sos."), ("", "S.H."), ("", "S.STP"), ("", "S.IP., M.Si."),
            ("", "S.AP."), ("", "S.E., M.M."), ("", "S.Kom.")),
    "adm_kes": (("", "S.K.M."), ("", "S.K.M., M.Kes."), ("dr.", ""), ("", "S.Kep., Ners"),
                ("", "S.Farm., Apt.")),
    "adm_dik": (("", "S.Pd."), ("", "S.Pd., M.Pd."), ("", "S.Sos.")),
    "pelaksana": (("", ""), ("", ""), ("", ""), ("", "A.Md."), ("", "S.E."), ("", "S.Sos."),
                  ("", "S.AP.")),
    "it": (("", "S.Kom."), ("", "S.T."), ("", "A.Md.Kom."), ("", "S.Kom., M.Kom.")),
    "dokter": (("dr.", ""),),
    "perawat": (("", "A.Md.Kep."), ("", "S.Kep., Ners")),
    "bidan": (("", "A.Md.Keb."), ("", "S.Tr.Keb.")),
    "kesmas": (("", "S.K.M."), ("", "A.Md.K.L."), ("", "S.Gz.")),
    "guru": (("", "S.Pd."), ("", "S.Pd., Gr."), ("", "S.Pd., M.Pd.")),
    "guru_sd": (("", "S.Pd."), ("", "S.Pd., Gr."), ("", "S.Pd.SD")),
    "humas": (("", "S.I.Kom."), ("", "S.Sos."), ("", "A.Md.")),
    "pertanian": (("", "S.P."), ("", "S.TP."), ("", "A.Md.P.")),
    "perikanan": (("", "S.Pi."), ("", "S.St.Pi.")),
    "perencana": (("", "S.E., M.Si."), ("", "S.T., M.T."), ("", "S.P.W.K."), ("", "S.E.")),
    "statistik": (("", "S.Stat."), ("", "S.Si."), ("", "S.Tr.Stat.")),
    "sosial": (("", "S.Sos."), ("", "S.Tr.Sos."), ("", "S.Psi.")),
    "sdm": (("", "S.Psi."), ("", "S.H."), ("", "S.AP."), ("", "S.Sos.")),
    "plain": (("", ""),),
}


def with_title(name: str, rng: random.Random, style: str, sex: Sex) -> str:
    """``name`` with academic titles, the way Indonesian offices write it."""
    prefix, suffix = rng.choice(TITLES[style])
    if prefix == "Drs." and sex is Sex.P:
        prefix = "Dra."
    text = f"{prefix} {name}" if prefix else name
    return f"{text}, {suffix}" if suffix else text
